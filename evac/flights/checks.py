"""What the crew and the gate must know of each passenger: special-service codes and the
document checks, worked out once for the manifest, the print view, boarding and the files.

Special-service codes are IATA's SSR codes, from what Evac records (never guessed):

    stretcher                    → STCR
    wheelchair level             → WCHR / WCHS / WCHC, as recorded
    reduced mobility, no level   → MAAS (meet and assist)
    medical need                 → MEDA
    pregnancy                    → OTHS/PREGNANT (IATA has no code of its own for it)
    under 2 on the day of travel → INFT
    a minor with no adult of their household on the same flight → UMNR

UMNR follows from ages and households on this flight: a coordinator's explicit
"unaccompanied or escorted minor" decision, when Evac records one, is the better source.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from evac.flights.models import Booking, Flight
from evac.people.documents import DocumentIssue, document_issues
from evac.people.models import Citizen

INFANT_UNDER_AGE = 2


@dataclass(frozen=True)
class PassengerCheck:
    special_service: tuple[str, ...]
    issues: tuple[DocumentIssue, ...]

    @property
    def issue_labels(self) -> list[str]:
        return [str(DocumentIssue(issue).label) for issue in self.issues]


def travel_day(flight: Flight) -> date:
    """The day a passenger's age and document are judged on: the local day of arrival."""
    return flight.arrives_local.date()


def special_service_codes(person: Citizen, *, day: date, unaccompanied: bool) -> tuple[str, ...]:
    codes = []
    if person.stretcher:
        codes.append("STCR")
    elif person.wheelchair:
        codes.append(person.wheelchair)
    elif person.reduced_mobility:
        codes.append("MAAS")
    if person.medical_need:
        codes.append("MEDA")
    if person.pregnant:
        codes.append("OTHS/PREGNANT")
    age = person.age_on(day)
    if age < INFANT_UNDER_AGE:
        codes.append("INFT")
    if unaccompanied and age < settings.EVAC_MINOR_UNDER_AGE:
        codes.append("UMNR")
    return tuple(codes)


def passenger_checks(flight: Flight, bookings: Iterable[Booking]) -> dict[int, PassengerCheck]:
    """Each booking's codes and document issues, by booking id (cancelled seats included)."""
    bookings = list(bookings)
    day = travel_day(flight)
    adult_households: set[int] = set()
    for booking in bookings:
        person = booking.citizen
        if (
            booking.status != Booking.Status.CANCELLED
            and person.household_id is not None
            and person.age_on(day) >= settings.EVAC_MINOR_UNDER_AGE
        ):
            adult_households.add(person.household_id)
    return {
        booking.pk: PassengerCheck(
            special_service=special_service_codes(
                booking.citizen,
                day=day,
                unaccompanied=booking.citizen.household_id not in adult_households,
            ),
            issues=document_issues(booking.citizen, arrival_day=day),
        )
        for booking in bookings
    }


def issue_counts(
    checks: Mapping[int, PassengerCheck], bookings: Iterable[Booking]
) -> dict[str, int]:
    """How many seats not cancelled carry each issue, for the flight's header."""
    counts: Counter[str] = Counter()
    flagged = 0
    for booking in bookings:
        if booking.status == Booking.Status.CANCELLED:
            continue
        issues = checks[booking.pk].issues
        counts.update(issues)
        flagged += bool(issues)
    return {"flagged": flagged, **{issue.value: counts[issue.value] for issue in DocumentIssue}}


def attach(bookings: Iterable[Booking], checks: Mapping[int, PassengerCheck]) -> None:
    """Hang each booking's check on it, for templates (booking.check)."""
    for booking in bookings:
        booking.check = checks[booking.pk]
