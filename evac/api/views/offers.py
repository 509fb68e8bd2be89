"""Seat offers through the API: a flight's offers, the operation's pending ones, offers made
on a coordinator's request, and accepting or declining for a person who calls in.

Every write is one call to evac.flights.offers, which checks the permission again and
holds every rule (who is next, deadlines, the seat counter); its refusals reach the client
as 409s through evac.api.errors.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import offer_serializers as o
from evac.api import serializers as s
from evac.api.views.base import OperationView, valid_data
from evac.api.views.flights import FlightView
from evac.flights.models import Flight, SeatOffer
from evac.flights.offer_selectors import flight_offers, offer_summary, pending_offers
from evac.flights.offers import offer_accept, offer_decline, offers_make
from evac.operations.access import Permission


@extend_schema(tags=["offers"])
class PendingOffers(OperationView):
    serializer_class = o.OfferSerializer
    ordering = ("expires_at", "pk")

    def get_queryset(self) -> QuerySet[SeatOffer]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return SeatOffer.objects.none()
        return pending_offers(self.operation)

    @extend_schema(responses=o.OfferSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """Offers waiting for an answer, on every flight of the operation, the soonest
        deadline first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["offers"])
class FlightOffers(FlightView):
    write_permission = Permission.MANAGE_BOOKINGS
    serializer_class = o.FlightOffersSerializer
    pagination_class = None  # a flight has as many offers as it had free seats, at most

    def get(self, request: Request, op: str, pk: int) -> Response:
        """The flight's offer setting, its offers (live and ended) and the empty seats."""
        flight = self.get_flight(pk)
        return Response(self._summary(flight))

    @extend_schema(
        request=o.OffersMakeSerializer,
        responses={201: o.OfferSerializer(many=True)},
    )
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Offer the flight's free seats now to the waiting list in turn (priority, then
        waiting time, households whole), for a flight whose offers are `ask` (or
        `automatic`, without waiting for Evac's next round). Answers the offers made,
        possibly none. 409 when offers are off, the flight is not open, or it leaves too
        soon for anyone to answer."""
        flight = self.get_flight(pk)
        data = valid_data(o.OffersMakeSerializer, request.data)
        made = offers_make(flight=flight, by=request.user, limit=data.get("limit"))
        made = flight_offers(flight).filter(pk__in=[offer.pk for offer in made])
        return Response(o.OfferSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    def _summary(self, flight: Flight) -> dict:
        summary = offer_summary(flight)
        data = {"flight": flight, "summary": summary, "offers": flight_offers(flight)}
        return o.FlightOffersSerializer(data).data


class OfferAnswer(FlightView):
    """Answer a live offer for the person asked, who called in: one of the staff who may
    answer offers (officers, coordinators) does it for them."""

    write_permission = Permission.ANSWER_SEAT_OFFERS
    pagination_class = None  # accepting answers the seats booked, a household at most

    def get_offer(self, pk: int, offer_pk: int) -> SeatOffer:
        offer = flight_offers(self.get_flight(pk)).select_related("flight").filter(pk=offer_pk)
        found = offer.first()
        if found is None:
            raise NotFound(_("No such offer on this flight."))
        return found


@extend_schema(tags=["offers"])
class OfferAccept(OfferAnswer):
    serializer_class = s.BookingSerializer

    @extend_schema(request=None, responses={200: s.BookingSerializer(many=True)})
    def post(self, request: Request, op: str, pk: int, offer_pk: int) -> Response:
        """Accept for the person: the seats held become their (and their household's)
        bookings, in one transaction. 409 when the offer is no longer live or its
        deadline has passed."""
        bookings = offer_accept(offer=self.get_offer(pk, offer_pk), by=request.user)
        return Response(s.BookingSerializer(bookings, many=True).data)


@extend_schema(tags=["offers"])
class OfferDecline(OfferAnswer):
    serializer_class = o.OfferSerializer

    @extend_schema(request=None, responses={200: o.OfferSerializer})
    def post(self, request: Request, op: str, pk: int, offer_pk: int) -> Response:
        """Decline for the person: the seats go back and on to the next in line; the person
        stays on the waiting list and is told. 409 when the offer is no longer live."""
        offer = offer_decline(offer=self.get_offer(pk, offer_pk), by=request.user)
        return Response(o.OfferSerializer(flight_offers(offer.flight).get(pk=offer.pk)).data)
