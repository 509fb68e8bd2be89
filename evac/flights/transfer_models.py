"""Ground transfers (a train, a bus, a road convoy to a city whose airport is open) and their
seats. A transfer's seats are counted exactly like a flight's: `seats_booked` moves only
through the conditional UPDATE in flights.seats, and a check constraint forbids overbooking.

A transfer seat that leads to a flight seat (`connects_to`) is one leg of a journey
(flights.journeys): Almaty → Nur-Sultan by train, then the flight from Nur-Sultan.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from evac.core.clock import now
from evac.core.text import LimitedTextField
from evac.operations.models import Operation
from evac.people.models import Citizen
from evac.places.models import City


class TransferMode(models.TextChoices):
    RAIL = "rail", _("Rail")
    BUS = "bus", _("Bus")
    CONVOY = "convoy", _("Road convoy")


class TransferStatus(models.TextChoices):
    # In their own context: a flight that is "scheduled" is a kind (a regular flight), and
    # one that "departed" flew; in Ukrainian and Russian a train says neither.
    SCHEDULED = "scheduled", pgettext_lazy("transfer status", "Scheduled")
    BOARDING = "boarding", _("Boarding")
    DEPARTED = "departed", pgettext_lazy("transfer status", "Departed")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", _("Cancelled")


class GroundTransfer(models.Model):
    """A group journey by rail or road to a city whose airport is open (Almaty → Nur-Sultan)."""

    Mode = TransferMode
    Status = TransferStatus

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="transfers")
    mode = models.CharField(_("mode"), max_length=8, choices=Mode)
    number = models.CharField(_("train or bus number"), max_length=12, blank=True)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    from_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    departs_at = models.DateTimeField(_("departs at"))
    arrives_at = models.DateTimeField(_("arrives at"))
    meeting_point = models.CharField(_("meeting point"), max_length=200, blank=True)
    meeting_map_url = models.URLField(_("map link of the meeting point"), blank=True)
    seats_total = models.PositiveIntegerField(_("seats"))
    # Seats taken by active transfer seats; moved only by flights.seats' conditional UPDATE.
    seats_booked = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SCHEDULED)
    description = LimitedTextField(_("description"), blank=True)
    history = HistoricalRecords(excluded_fields=["seats_booked"])

    class Meta:
        ordering = ["departs_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrives_at__gt=F("departs_at")),
                name="transfer_arrives_after_departure",
                violation_error_message=_("A transfer must arrive after it departs."),
            ),
            models.CheckConstraint(
                condition=~Q(from_city=F("to_city")),
                name="transfer_cities_differ",
                violation_error_message=_("A transfer must go to another city."),
            ),
            models.CheckConstraint(
                condition=Q(seats_booked__lte=F("seats_total")),
                name="transfer_never_overbooked",
                violation_error_message=_("More seats are booked than the transfer has."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TransferStatus]),
                name="transfer_status_valid",
            ),
        ]

    def __str__(self) -> str:
        number = f" {self.number}" if self.number else ""
        return f"{self.get_mode_display()}{number} {self.from_city} → {self.to_city}"

    def save(self, *args, **kwargs) -> None:
        # As Flight.save: an edit form must never write back a stale seat count.
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
    def record_label(self) -> str:
        """What the access log calls the transfer: itself and its local date of departure."""
        return f"{self} {self.departs_local.date().isoformat()}"

    @property
    def departs_local(self) -> datetime:
        return self.from_city.local_time(self.departs_at)

    @property
    def arrives_local(self) -> datetime:
        return self.to_city.local_time(self.arrives_at)

    @property
    def takes_bookings(self) -> bool:
        return self.status == TransferStatus.SCHEDULED

    @property
    def trip_name(self) -> str:
        """What the seat rules' refusals call it (flights.minors)."""
        return str(self)

    @property
    def active_seats(self) -> models.QuerySet:
        return self.seats.filter(is_active=True)

    def can_become(self, status: str) -> bool:
        return status in TRANSFER_TRANSITIONS[self.status]


_T = TransferStatus
TRANSFER_TRANSITIONS: dict[str, frozenset[str]] = {
    _T.SCHEDULED: frozenset({_T.BOARDING, _T.CANCELLED}),
    _T.BOARDING: frozenset({_T.SCHEDULED, _T.DEPARTED, _T.CANCELLED}),
    _T.DEPARTED: frozenset({_T.ARRIVED}),
    _T.ARRIVED: frozenset(),
    _T.CANCELLED: frozenset(),
}
TRANSFERS_AHEAD_STATUSES = (_T.SCHEDULED, _T.BOARDING)


class TransferSeatStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    BOARDED = "boarded", _("Boarded")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class TransferSeat(models.Model):
    """One seat for one person on one transfer; a transfer's manifest is its seats."""

    Status = TransferSeatStatus

    transfer = models.ForeignKey(GroundTransfer, on_delete=models.PROTECT, related_name="seats")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="transfer_seats")
    # The flight seat this leg takes the person to: set when booked as a journey. A leg
    # lost while this booking stays active leaves the person stranded between legs.
    connects_to = models.ForeignKey(
        "flights.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legs",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.BOOKED)
    # True while the seat binds the person: not cancelled and the transfer has not left.
    is_active = models.BooleanField(default=True, editable=False)
    # Why an inactive seat ended (a SeatLoss value), for the stranded list and the history.
    lost_because = models.CharField(_("lost because"), max_length=24, blank=True)
    unaccompanied_reason = models.CharField(
        _("travels without an adult of the household because"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(_("booked at"), default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=now)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["transfer", "citizen__surname", "citizen__given_names", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transfer", "citizen"],
                condition=Q(is_active=True),
                name="one_active_seat_per_person_per_transfer",
                violation_error_message=_("This person already holds a seat on this transfer."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TransferSeatStatus]),
                name="transfer_seat_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(is_active=False),
                name="cancelled_transfer_seat_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} on {self.transfer}: {self.get_status_display()}"

    def can_become(self, status: str) -> bool:
        return status in TRANSFER_SEAT_TRANSITIONS[self.status]


_S = TransferSeatStatus
TRANSFER_SEAT_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.BOOKED: frozenset({_S.BOARDED, _S.NO_SHOW, _S.CANCELLED}),
    _S.BOARDED: frozenset({_S.NO_SHOW, _S.CANCELLED}),
    _S.NO_SHOW: frozenset({_S.BOARDED, _S.CANCELLED}),
    _S.CANCELLED: frozenset(),
}
