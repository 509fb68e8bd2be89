from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Upper
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from evac.core.clock import now, today
from evac.core.constraints import OneQueryChecks
from evac.core.countries import CountryCodeField
from evac.core.reference import format_reference_code, new_reference_code
from evac.core.text import ADDRESS_LENGTH, NOTE_LENGTH, LimitedTextField
from evac.operations.models import Operation
from evac.people.latin import has_foreign_letters, latin_offer
from evac.places.models import City

# Nobody alive was born before this: an earlier date is a mistyped year.
EARLIEST_BIRTH = date(1900, 1, 1)


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    UKRAINIAN = "uk", "Українська"
    RUSSIAN = "ru", "Русский"


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def urgent_need_q() -> Q:
    """Medical need, reduced mobility or pregnancy: vulnerable at any age."""
    return Q(medical_need=True) | Q(reduced_mobility=True) | Q(pregnant=True)


def confirmed_need_q() -> Q:
    """An urgent need that counts for the waiting list: staff entered or confirmed it."""
    return urgent_need_q() & Q(needs_claimed=False)


def vulnerable_age_q(on: date) -> Q:
    """A minor or an elderly person on `on`, as the dates of birth either side of two cutoffs."""
    return Q(date_of_birth__gt=years_before(on, settings.EVAC_MINOR_UNDER_AGE)) | Q(
        date_of_birth__lte=years_before(on, settings.EVAC_ELDERLY_FROM_AGE)
    )


def vulnerable_q(on: date | None = None) -> Q:
    """The SQL twin of Citizen.is_vulnerable, as a condition for filters and counts."""
    return urgent_need_q() | vulnerable_age_q(on or today())


class CitizenQuerySet(models.QuerySet):
    def vulnerable(self, on: date | None = None) -> "CitizenQuerySet":
        return self.filter(vulnerable_q(on))


class Household(models.Model):
    """People who must travel together; booked onto a flight all at once or not at all."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="households")
    head = models.ForeignKey(
        "Citizen", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return (
            _("Household of %(head)s") % {"head": self.head} if self.head else str(_("Household"))
        )


class CitizenStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    BOOKED = "booked", _("Booked")
    EVACUATED = "evacuated", _("Evacuated")
    LEFT_BY_OWN_MEANS = "left_by_own_means", _("Left by own means")
    DECIDED_TO_STAY = "decided_to_stay", _("Decided to stay")
    UNREACHABLE = "unreachable", _("Unreachable")


class CitizenSex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNSPECIFIED = "X", _("Unspecified")


class CitizenDocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    # What children and people who lost their passport travel on (a 10-year-old with no
    # passport is registrable): people.documents knows which ages each one fits.
    CHILD_TRAVEL_DOCUMENT = "child_travel_document", _("Child's travel document")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate, with a parent's passport")
    EMERGENCY_CERTIFICATE = (
        "emergency_certificate",
        _("Emergency certificate / certificate of return"),
    )
    TRAVEL_DOCUMENT = "travel_document", _("Other travel document")
    NONE = "none", _("No valid document")


class CitizenWheelchair(models.TextChoices):
    """The IATA wheelchair codes: what the person can do, so the airline brings the right help."""

    NONE = "", _("No wheelchair")
    WCHR = "WCHR", _("WCHR: walks, climbs steps; wheelchair over distances")
    WCHS = "WCHS", _("WCHS: walks to the seat, cannot climb steps")
    WCHC = "WCHC", _("WCHC: cannot walk; carried to the seat")


class CitizenChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")


class CitizenSource(models.TextChoices):
    STAFF_INTAKE = "staff_intake", _("Staff intake")
    SELF_REGISTRATION = "self_registration", _("Self-registration")
    IMPORT = "import", _("Import")


class Citizen(OneQueryChecks, models.Model):
    Status = CitizenStatus
    Sex = CitizenSex
    DocumentType = CitizenDocumentType
    Channel = CitizenChannel
    Source = CitizenSource
    Wheelchair = CitizenWheelchair

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="citizens")
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    reference_code = models.CharField(
        _("reference code"),
        max_length=12,
        unique=True,
        default=new_reference_code,
        editable=False,
    )

    # Names as in the travel document (Latin), and optionally as the person writes them.
    surname = models.CharField(_("surname"), max_length=100)
    given_names = models.CharField(_("given names"), max_length=150)
    surname_native = models.CharField(_("surname (native script)"), max_length=100, blank=True)
    given_names_native = models.CharField(
        _("given names (native script)"), max_length=150, blank=True
    )
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex)
    nationality = CountryCodeField(_("nationality"))

    document_type = models.CharField(_("document type"), max_length=24, choices=DocumentType)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    document_issuing_country = CountryCodeField(_("issuing country"), blank=True)
    document_expires_on = models.DateField(_("document expires on"), null=True, blank=True)

    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language,
        default=Language.UKRAINIAN,
    )
    preferred_channel = models.CharField(
        _("preferred contact channel"),
        max_length=8,
        choices=Channel,
        default=Channel.SMS,
    )

    current_city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="citizens",
        verbose_name=_("current city"),
    )
    temporary_address = LimitedTextField(
        _("temporary address"), max_length=ADDRESS_LENGTH, blank=True
    )

    medical_need = models.BooleanField(_("medical need"), default=False)
    medical_details = LimitedTextField(_("medical details"), max_length=NOTE_LENGTH, blank=True)
    reduced_mobility = models.BooleanField(_("reduced mobility"), default=False)
    pregnant = models.BooleanField(_("pregnancy"), default=False)
    # The exact help needed at the airport, recorded rather than guessed from "reduced
    # mobility" (which either of these sets): the special-service codes come from them.
    wheelchair = models.CharField(
        _("wheelchair"), max_length=4, choices=CitizenWheelchair, blank=True, default=""
    )
    stretcher = models.BooleanField(_("travels on a stretcher"), default=False)
    # The three needs above as the person stated them on the public portal, not yet confirmed
    # by staff: shown as "claimed", and they don't move the person up the waiting list.
    needs_claimed = models.BooleanField(_("needs claimed, not confirmed"), default=False)
    # When someone last registered again on the portal with this person's document, or name
    # and date of birth: staff check with the person (people.services.people_register).
    registration_repeated_at = models.DateTimeField(
        _("repeated self-registration at"), null=True, blank=True
    )

    # Written only by the services in people.services and flights.services.
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.WAITING)
    source = models.CharField(_("source"), max_length=20, choices=Source)
    registered_at = models.DateTimeField(_("registered at"), default=now)
    last_contacted_at = models.DateTimeField(_("last heard from"), null=True, blank=True)
    notes = LimitedTextField(_("notes"), blank=True)

    # Where the person's unit stands on the waiting list, so that the list is read in index
    # order rather than ranked on every read. Kept by people.queue alone (on every save and
    # each day for birthdays): the unit's priority, whether this person stands for the unit
    # (its earliest registered waiting member), and how many waiting people it holds.
    queue_priority = models.PositiveSmallIntegerField(default=0, editable=False)
    queue_first = models.BooleanField(default=False, editable=False)
    queue_size = models.PositiveSmallIntegerField(default=0, editable=False)
    # Whether the person was vulnerable (is_vulnerable) when people.queue last wrote their
    # standing: the operation's counts (PeopleCount) count them so, and the daily refresh
    # moves the waiting whose birthday changed it.
    vulnerable_counted = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords(
        excluded_fields=["queue_priority", "queue_first", "queue_size", "vulnerable_counted"]
    )
    objects = CitizenQuerySet.as_manager()

    class Meta:
        ordering = ["surname", "given_names", "pk"]
        indexes = [
            # Counts by status and city, and the registry filtered by both in its name order:
            # Next from any page is a range of this index, not a sort of the city's people.
            models.Index(
                fields=["operation", "status", "current_city", "surname", "given_names", "id"],
                name="citizen_op_status_city_name",
            ),
            models.Index(fields=["operation", "surname", "given_names"]),
            models.Index(fields=["document_number"]),
            models.Index(fields=["operation", "registered_at"]),
            # The registry's "not contacted" filter and "last heard from" sort (PostgreSQL
            # gets a NULLS FIRST twin for the sort in migration 0002).
            models.Index(fields=["operation", "last_contacted_at"], name="citizen_op_last_heard"),
            # "Longest silent first" on the dashboard: last heard from, or registered if never.
            models.Index(
                "operation",
                Coalesce("last_contacted_at", "registered_at"),
                name="citizen_op_silent_since",
            ),
            # Search and duplicate checks compare document numbers ignoring case.
            models.Index(Upper("document_number"), name="citizen_document_upper"),
            # Search by a whole phone number (stored in E.164).
            models.Index(fields=["phone"], name="citizen_phone"),
            # Duplicate check: same name and date of birth.
            models.Index(fields=["operation", "date_of_birth"], name="citizen_op_birth"),
            # The waiting list in its order (people.queue): one entry per waiting unit.
            models.Index(
                F("operation"),
                F("queue_priority").desc(),
                F("registered_at"),
                F("id"),
                name="citizen_queue",
                condition=Q(status=CitizenStatus.WAITING, queue_first=True),
            ),
            # The dashboard's "documents expiring before departure" among people waiting:
            # a range of this index, not a scan of the operation.
            models.Index(
                fields=["operation", "status", "document_expires_on"], name="citizen_op_expiring"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CitizenStatus]),
                name="citizen_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=[s.value for s in CitizenSex]),
                name="citizen_sex_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in CitizenSource]),
                name="citizen_source_valid",
            ),
            models.CheckConstraint(
                condition=(Q(document_type="none") & Q(document_number=""))
                | (
                    Q(document_type__in=[t for t in CitizenDocumentType.values if t != "none"])
                    & ~Q(document_number="")
                ),
                name="citizen_document_number_matches_type",
                violation_error_message=_(
                    "Give the document number, or choose “No valid document”."
                ),
            ),
            models.CheckConstraint(
                condition=Q(document_expires_on__isnull=True)
                | Q(document_expires_on__gt=models.F("date_of_birth")),
                name="citizen_document_expires_after_birth",
                violation_error_message=_("A document can't expire before its holder was born."),
            ),
            models.CheckConstraint(
                condition=Q(wheelchair__in=CitizenWheelchair.values),
                name="citizen_wheelchair_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.surname.upper()} {self.given_names}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.date_of_birth and self.date_of_birth > today():
            errors["date_of_birth"] = _("A date of birth can't be in the future.")
        elif self.date_of_birth and self.date_of_birth < EARLIEST_BIRTH:
            errors["date_of_birth"] = _("A date of birth before 1900 is a typing mistake.")
        errors.update(self.latin_name_errors())
        if self.wheelchair or self.stretcher:
            self.reduced_mobility = True  # the waiting list's order counts it
        if errors:
            raise ValidationError(errors)

    def latin_name_errors(self) -> dict[str, str]:
        """The Latin name fields holding letters a passport's Latin name can't (Cyrillic typed
        in, accents), each with the transliteration offered.

        Never rewritten silently: the person at the desk compares the offer with the
        document (people.latin says which standard, and why). Other stray characters
        (digits, dots) are not refused here; the data check and the manifest flag them.
        """
        country = str(self.document_issuing_country or self.nationality or "")
        errors = {}
        for field in ("surname", "given_names"):
            value = getattr(self, field)
            if not has_foreign_letters(value):
                continue
            offer = latin_offer(value, country=country)
            message = _(
                "Write it in Latin letters as in the travel document (A–Z, space, hyphen, "
                "apostrophe)."
            )
            if offer:
                message += " " + _("Transliterated: %(offer)s") % {"offer": offer}
            errors[field] = message
        return errors

    @property
    def reference(self) -> str:
        return format_reference_code(self.reference_code)

    @property
    def native_name(self) -> str:
        return f"{self.surname_native} {self.given_names_native}".strip()

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(today())

    @property
    def is_minor(self) -> bool:
        return self.age < settings.EVAC_MINOR_UNDER_AGE

    @property
    def is_elderly(self) -> bool:
        return self.age >= settings.EVAC_ELDERLY_FROM_AGE

    @property
    def is_vulnerable(self) -> bool:
        # Keep in step with CitizenQuerySet.vulnerable (a test checks they agree).
        return (
            self.medical_need
            or self.reduced_mobility
            or self.pregnant
            or self.is_minor
            or self.is_elderly
        )

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING

    def can_become(self, status: str) -> bool:
        return status in CITIZEN_TRANSITIONS[self.status]


_S = Citizen.Status
# Every allowed change of a citizen's status, in one place. Booked and evacuated are set
# only by the booking services; the rest are staff or citizen decisions. "Evacuated" is final.
CITIZEN_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.WAITING: frozenset({_S.BOOKED, _S.LEFT_BY_OWN_MEANS, _S.DECIDED_TO_STAY, _S.UNREACHABLE}),
    _S.BOOKED: frozenset(
        {
            _S.WAITING,
            _S.EVACUATED,
            _S.LEFT_BY_OWN_MEANS,
            _S.DECIDED_TO_STAY,
            _S.UNREACHABLE,
        }
    ),
    _S.UNREACHABLE: frozenset({_S.WAITING, _S.LEFT_BY_OWN_MEANS, _S.DECIDED_TO_STAY}),
    _S.DECIDED_TO_STAY: frozenset({_S.WAITING}),
    _S.LEFT_BY_OWN_MEANS: frozenset({_S.WAITING}),
    _S.EVACUATED: frozenset(),
}


# How far ahead of the server's clock a contact's time may be, for clocks that run fast.
CONTACT_CLOCK_SKEW = timedelta(minutes=5)


class ContactLogEntry(models.Model):
    """One call, message or visit between staff and a citizen, with its outcome."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")
        VISIT = "visit", _("Visit")
        MESSENGER = "messenger", _("Messenger")

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("From the citizen")
        OUTBOUND = "outbound", _("To the citizen")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        LEFT_MESSAGE = "left_message", _("Left a message")
        WRONG_NUMBER = "wrong_number", _("Wrong number or address")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome)
    note = LimitedTextField(_("note"), max_length=NOTE_LENGTH, blank=True)
    at = models.DateTimeField(_("when"), default=now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = _("contact log entries")
        indexes = [models.Index(fields=["citizen", "-at"])]

    def __str__(self) -> str:
        channel, direction = self.get_channel_display(), self.get_direction_display()
        return f"{channel} {direction}: {self.get_outcome_display()}"

    def clean(self) -> None:
        # A contact in the future would hold the person's "last heard from" there for good
        # (it only moves forward). A clock a little ahead (a phone, a hotline tool) is
        # forgiven.
        if self.at and self.at > now() + CONTACT_CLOCK_SKEW:
            raise ValidationError({"at": _("A contact can't be in the future.")})

    @property
    def heard_from_citizen(self) -> bool:
        return self.direction == self.Direction.INBOUND or self.outcome == self.Outcome.REACHED


# The tables of bulk imports live in their own module; imported here so Django finds them.
from evac.people.count_models import PeopleByTime, PeopleCount  # noqa: E402, F401
from evac.people.import_models import (  # noqa: E402, F401
    ImportedRow,
    ImportMapping,
    PeopleImport,
)
from evac.people.merge_models import CitizenMerge, DismissedPair, DuplicatePair  # noqa: E402, F401
