from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evac.core.clock import now
from evac.core.text import LimitedTextField
from evac.operations.models import Operation
from evac.people.models import Citizen, Household
from evac.places.models import Airport


class FlightKind(models.TextChoices):
    CHARTER = "charter", _("Charter")
    SCHEDULED = "scheduled", _("Scheduled")
    MILITARY = "military", _("Military")


class FlightStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for booking")
    BOARDING = "boarding", _("Boarding")
    DEPARTED = "departed", _("Departed")
    LANDED = "landed", _("Landed")
    CANCELLED = "cancelled", _("Cancelled")


class OfferMode(models.TextChoices):
    """What happens to a flight's free seats: offered to the waiting list in turn by Evac
    itself, offered when a coordinator asks, or left to booking by hand."""

    AUTOMATIC = "automatic", _("Offer free seats automatically")
    ASK = "ask", _("Offer free seats when I ask")
    OFF = "off", _("No offers")


# How long before departure a passenger may be asked to be at the airport: from half an
# hour (a military flight boarding on the apron) to a day (a convoy to a closed zone).
REPORT_MINUTES_RANGE = (30, 24 * 60)


def default_report_minutes() -> int:
    """A new flight's report time: EVAC_AT_AIRPORT_HOURS_BEFORE (3 h) before departure."""
    return settings.EVAC_AT_AIRPORT_HOURS_BEFORE * 60


class Flight(models.Model):
    Kind = FlightKind

    Status = FlightStatus

    Offers = OfferMode

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="flights")
    number = models.CharField(_("flight number"), max_length=12)
    carrier = models.CharField(_("carrier"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.SCHEDULED)
    departure_airport = models.ForeignKey(
        Airport,
        on_delete=models.PROTECT,
        related_name="departures",
        verbose_name=_("from"),
    )
    arrival_airport = models.ForeignKey(
        Airport, on_delete=models.PROTECT, related_name="arrivals", verbose_name=_("to")
    )
    departs_at = models.DateTimeField(_("departs at"))
    arrives_at = models.DateTimeField(_("arrives at"))
    # "Be at the airport by": kept as minutes before departure, so a flight moved to
    # another time keeps its check-in window. Read it through report_at.
    report_minutes_before = models.PositiveSmallIntegerField(
        _("be at the airport (minutes before departure)"),
        default=default_report_minutes,
        validators=[
            MinValueValidator(REPORT_MINUTES_RANGE[0]),
            MaxValueValidator(REPORT_MINUTES_RANGE[1]),
        ],
    )
    seats_total = models.PositiveIntegerField(_("seats for evacuees"))
    # Seats taken: by bookings that are not cancelled and by live seat offers (a held seat
    # is a taken seat). Changed only by the conditional UPDATEs in flights.services, and the
    # check constraint below makes overbooking impossible even if some code path forgot it.
    seats_booked = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANNED)
    notes = LimitedTextField(_("notes"), blank=True)
    offers = models.CharField(
        _("free seats"), max_length=12, choices=OfferMode, default=OfferMode.ASK
    )
    history = HistoricalRecords(excluded_fields=["seats_booked"])

    class Meta:
        ordering = ["departs_at", "number"]
        indexes = [models.Index(fields=["operation", "departs_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrives_at__gt=F("departs_at")),
                name="flight_arrives_after_departure",
                violation_error_message=_("A flight must arrive after it departs."),
            ),
            models.CheckConstraint(
                condition=Q(seats_booked__lte=F("seats_total")),
                name="flight_never_overbooked",
                violation_error_message=_("More seats are booked than the flight has."),
            ),
            models.CheckConstraint(
                condition=~Q(departure_airport=F("arrival_airport")),
                name="flight_airports_differ",
                violation_error_message=_("A flight must arrive at another airport."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in FlightStatus]),
                name="flight_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in FlightKind]),
                name="flight_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(offers__in=[m.value for m in OfferMode]),
                name="flight_offer_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.departure_airport.iata_code}→{self.arrival_airport.iata_code}"

    def save(self, *args, **kwargs) -> None:
        # seats_booked belongs to the conditional UPDATEs in flights.services: saving an
        # instance read a moment ago (an edit form, the admin) must never write back a
        # stale count over a booking made in between.
        if not self._state.adding and "update_fields" not in kwargs:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "seats_booked"
            ]
        super().save(*args, **kwargs)

    @property
    def seats_left(self) -> int:
        return self.seats_total - self.seats_booked

    @property
    def departs_local(self) -> datetime:
        return self.departure_airport.local_time(self.departs_at)

    @property
    def record_label(self) -> str:
        """What the access log calls the flight: its number and local date of departure."""
        return f"{self.number} {self.departs_local.date().isoformat()}"

    @property
    def report_at(self) -> datetime:
        """When passengers must be at the airport: the one rule that the portal, the
        messages and the reminders' timing all read."""
        return self.departs_at - timedelta(minutes=self.report_minutes_before)

    @property
    def arrives_local(self) -> datetime:
        return self.arrival_airport.local_time(self.arrives_at)

    @property
    def takes_bookings(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def trip_name(self) -> str:
        """What the seat rules' refusals call it (flights.minors)."""
        return self.number

    @property
    def active_seats(self) -> models.QuerySet:
        return self.bookings.filter(is_active=True)

    def can_become(self, status: str) -> bool:
        return status in FLIGHT_TRANSITIONS[self.status]


_F = Flight.Status
FLIGHT_TRANSITIONS: dict[str, frozenset[str]] = {
    _F.PLANNED: frozenset({_F.OPEN, _F.CANCELLED}),
    _F.OPEN: frozenset({_F.PLANNED, _F.BOARDING, _F.CANCELLED}),
    _F.BOARDING: frozenset({_F.OPEN, _F.DEPARTED, _F.CANCELLED}),
    _F.DEPARTED: frozenset({_F.LANDED}),
    _F.LANDED: frozenset(),
    _F.CANCELLED: frozenset(),
}
# Flights a coordinator still has to fill, board or fly, whatever the clock says: a flight
# whose departure time has passed but that nobody has marked departed is still ahead. While
# an operation has one, it can't close.
FLIGHTS_AHEAD_STATUSES = (_F.PLANNED, _F.OPEN, _F.BOARDING)
# Finished: its passengers' fate is settled, it left or it never will.
FINISHED_STATUSES = tuple(s for s in _F if s not in FLIGHTS_AHEAD_STATUSES)
FLOWN_STATUSES = (_F.DEPARTED, _F.LANDED)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    BOARDED = "boarded", _("Boarded")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class SeatLoss(models.TextChoices):
    """Why a person lost a seat: each is told to them in its own words (a seat_cancelled
    message, or for a cancelled flight the flight_cancelled notice)."""

    STAFF_CANCELLED = "staff_cancelled", _("Cancelled by staff")
    FLIGHT_CANCELLED = "flight_cancelled", _("Flight cancelled")
    NO_SHOW = "no_show", _("Not at the gate when the flight left")
    HOUSEHOLD_CHANGED = "household_changed", _("Household changed")
    DECIDED_TO_STAY = "decided_to_stay", _("Decided to stay")
    LEFT_BY_OWN_MEANS = "left_by_own_means", _("Left by own means")
    UNREACHABLE = "unreachable", _("Unreachable")
    TRANSFER_CANCELLED = "transfer_cancelled", _("Transfer cancelled")


class Booking(models.Model):
    """One seat for one person on one flight. A flight's manifest is its bookings."""

    Status = BookingStatus

    flight = models.ForeignKey(Flight, on_delete=models.PROTECT, related_name="bookings")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.BOOKED)
    # True while the booking still binds the person: not cancelled and the flight has not
    # left. A partial unique index on it is what stops two seats for one person; status
    # alone can't say it, because a no-show stays a no-show after the flight has gone.
    is_active = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(_("booked at"), default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=now)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A minor travels without an adult of their household only on a coordinator's word,
    # written here ("travels with grandmother", "unaccompanied minor, escorted by …").
    unaccompanied_reason = models.CharField(
        _("travels without an adult of the household because"), max_length=300, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["flight", "citizen__surname", "citizen__given_names", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen"],
                condition=Q(is_active=True),
                name="one_active_booking_per_person",
                violation_error_message=_("This person already holds a seat."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in BookingStatus]),
                name="booking_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(is_active=False),
                name="cancelled_booking_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} on {self.flight.number}: {self.get_status_display()}"

    def can_become(self, status: str) -> bool:
        return status in BOOKING_TRANSITIONS[self.status]


_B = Booking.Status
# Boarded and no-show can be undone at the gate (a late passenger, a wrong tap) until the
# flight departs; cancelling goes through booking_cancel, which also frees the seat.
BOOKING_TRANSITIONS: dict[str, frozenset[str]] = {
    _B.BOOKED: frozenset({_B.CONFIRMED, _B.CHECKED_IN, _B.BOARDED, _B.NO_SHOW, _B.CANCELLED}),
    _B.CONFIRMED: frozenset({_B.CHECKED_IN, _B.BOARDED, _B.NO_SHOW, _B.CANCELLED}),
    _B.CHECKED_IN: frozenset({_B.BOARDED, _B.NO_SHOW, _B.CANCELLED}),
    _B.BOARDED: frozenset({_B.NO_SHOW, _B.CANCELLED}),
    _B.NO_SHOW: frozenset({_B.BOARDED, _B.CANCELLED}),
    _B.CANCELLED: frozenset(),
}
# Statuses that can only be set at the gate, while the flight is boarding.
GATE_STATUSES = frozenset({_B.BOARDED, _B.NO_SHOW})


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SeatOffer(models.Model):
    """Free seats held for the next unit of the waiting list until a deadline.

    The held seats are taken on the flight's seat counter while the offer is live
    (`offered`), exactly like booked ones; accepting turns them into bookings, and any
    other end gives them back. Every change of status is one conditional UPDATE from
    `offered` (flights.offers), so the seats go back exactly once.
    """

    Status = OfferStatus

    flight = models.ForeignKey(Flight, on_delete=models.PROTECT, related_name="seat_offers")
    # Who is asked: the person alone, or the household's first waiting member, who answers
    # for the household. `people` are everyone the seats are for.
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="seat_offers")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="seat_offers"
    )
    people = models.ManyToManyField(Citizen, related_name="+")
    seats = models.PositiveSmallIntegerField(_("seats held"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OFFERED)
    offered_at = models.DateTimeField(_("offered at"), default=now)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("answer by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Staff who answered for a person who called in; None with `decided_via` portal or
    # Evac (the clock, a withdrawal).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_via = models.CharField(_("decided via"), max_length=12, blank=True)
    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        ordering = ["-offered_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["flight", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in OfferStatus]),
                name="seat_offer_status_valid",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="seat_offer_holds_a_seat"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("offered_at")), name="seat_offer_deadline_after"
            ),
            models.CheckConstraint(
                condition=Q(status="offered", decided_at__isnull=True)
                | (~Q(status="offered") & Q(decided_at__isnull=False)),
                name="seat_offer_decided_when_over",
            ),
            # One live offer per person asked and per household, whatever the flight.
            models.UniqueConstraint(
                fields=["citizen"],
                condition=Q(status="offered"),
                name="one_live_offer_per_person",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="offered"),
                name="one_live_offer_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seats} on {self.flight.number} for {self.citizen}: {self.status}"

    @property
    def is_live(self) -> bool:
        return self.status == OfferStatus.OFFERED


class ManifestExport(models.Model):
    """Who took a copy of which manifest, when and in which format.

    A manifest holds passport data of everyone on board, so every file that leaves Evac is
    written down here (and shown on the manifest page), whoever asked for it.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        PAXLST = "paxlst", "PAXLST"

    # PROTECT: the record of who took passport data away must outlive any tidy-up.
    flight = models.ForeignKey(Flight, on_delete=models.PROTECT, related_name="exports")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exported by"),
    )
    at = models.DateTimeField(_("exported at"), default=now)
    format = models.CharField(_("format"), max_length=8, choices=Format)
    rows = models.PositiveIntegerField(_("passengers"))

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["flight", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=["csv", "xlsx", "paxlst"]),
                name="manifest_export_format_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.flight.number} {self.get_format_display()} by {self.by} at {self.at}"


# Ground transfers and their seats live in their own module; imported here so Django finds
# them with the app's other models.
# The children left without an adult (flights.minors_kept writes them).
from evac.flights.alone_models import MinorAlone  # noqa: E402, F401
from evac.flights.transfer_models import (  # noqa: E402, F401
    TRANSFER_TRANSITIONS,
    GroundTransfer,
    TransferSeat,
    TransferSeatStatus,
    TransferStatus,
)
