"""The API's shapes for seat offers (evac.flights.offers makes and ends them).

An offer shows who is asked and for whom the seats are held, with list fields only, and
nothing of the one-time code the person answers with on the portal: no role reads it.
"""

from rest_framework import serializers

from evac.api.fields import StrictIntegerField
from evac.api.serializers import PassengerSerializer
from evac.flights.models import Flight, SeatOffer
from evac.flights.seats import VIA_EVAC, VIA_PORTAL, VIA_STAFF


class OfferSerializer(serializers.ModelSerializer):
    person = PassengerSerializer(
        source="citizen", read_only=True, help_text="Who is asked, and answers for everyone."
    )
    people = PassengerSerializer(
        many=True, read_only=True, help_text="Everyone the seats are held for."
    )
    flight_number = serializers.CharField(source="flight.number", read_only=True)
    decided_via = serializers.ChoiceField(
        choices=["", VIA_PORTAL, VIA_STAFF, VIA_EVAC],
        read_only=True,
        help_text="How the offer ended: by the person on the portal, by staff for a person "
        "who called, or by Evac (deadline passed, flight closed); empty while it is live.",
    )

    class Meta:
        model = SeatOffer
        fields = [
            "id",
            "flight",
            "flight_number",
            "person",
            "people",
            "household",
            "seats",
            "status",
            "offered_at",
            "expires_at",
            "decided_at",
            "decided_via",
        ]
        read_only_fields = fields


class OfferCountsSerializer(serializers.Serializer):
    offered = serializers.IntegerField(help_text="Live: holding seats until their deadline.")
    accepted = serializers.IntegerField()
    declined = serializers.IntegerField()
    expired = serializers.IntegerField()
    withdrawn = serializers.IntegerField(help_text="Ended because the flight stopped booking.")


class FlightOffersSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=Flight.Offers.choices,
        source="flight.offers",
        help_text="automatic: Evac offers free seats itself; ask: when a coordinator asks "
        "(POST to this address); off: no offers.",
    )
    counts = OfferCountsSerializer(source="summary.counts", help_text="Offers by how they stand.")
    seats_held = serializers.IntegerField(
        source="summary.seats_held", help_text="Seats held by live offers."
    )
    seats_empty = serializers.IntegerField(
        source="summary.seats_empty",
        help_text="Before departure: seats neither booked nor offered. After it: seats that "
        "flew with nobody in them.",
    )
    flown = serializers.BooleanField(source="summary.flown")
    # Why seats flew empty, as the flight page shows after departure (0 before it).
    no_shows = serializers.IntegerField(
        source="summary.no_shows",
        help_text="After departure: seats that flew empty because their passenger was booked "
        "but did not board. 0 before departure.",
    )
    unfilled = serializers.IntegerField(
        source="summary.unfilled",
        help_text="After departure: seats that flew empty because nobody held them when the "
        "flight left (never booked, or cancelled and not filled again). 0 before departure.",
    )
    offers = OfferSerializer(many=True, help_text="Every offer, the newest first.")


class OffersMakeSerializer(serializers.Serializer):
    limit = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Offer to at most this many units; without it, until the free seats are "
        "all offered.",
    )
