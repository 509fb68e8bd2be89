"""The manifest page's rows, prepared once per page instead of looked up cell by cell.

Django's template engine pays for every variable, filter, {% url %} and {% blocktranslate %}
in a loop again on each row: on a 400-seat manifest that was most of the page's time
(BENCHMARKS.md). What is the same for every row — URL prefixes, translated labels and
formats — is computed once here; what differs is read once per row.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from evac.core.clock import today
from evac.flights.models import Booking
from evac.flights.templatetags.flight_tags import needs
from evac.people.models import Citizen

# Stands for the varying part of a URL while it is reversed once for the whole page.
_SLOT = "0"


@dataclass(frozen=True, slots=True)
class ManifestRow:
    booking: Booking
    person: Citizen
    detail_url: str
    age: int
    needs: list[str]
    document: str
    status: str
    booked_by: str
    cancel_url: str
    cancel_label: SafeString


def _url_maker(name: str, *args: object) -> tuple[str, str]:
    """A URL reversed once with a placeholder as its last part: (before, after) the slot."""
    url = reverse(name, args=[*args, _SLOT])
    cut = url.rindex(f"/{_SLOT}/") + 1
    return url[:cut], url[cut + len(_SLOT) :]


def manifest_rows(bookings: list[Booking], *, operation_slug: str, flight_pk: int) -> list:
    detail_before, detail_after = _url_maker("people:detail", operation_slug)
    cancel_before, cancel_after = _url_maker("flights:cancel_seat", operation_slug, flight_pk)
    documents = {value: str(label) for value, label in Citizen.DocumentType.choices}
    statuses = {value: str(label) for value, label in Booking.Status.choices}
    by = _("by %(user)s")
    cancel = _('Cancel seat<span class="fl-sr-only"> of %(name)s</span>')
    on = today()
    rows = []
    for booking in bookings:
        person = booking.citizen
        creator = booking.created_by
        rows.append(
            ManifestRow(
                booking=booking,
                person=person,
                detail_url=f"{detail_before}{person.reference_code}{detail_after}",
                age=person.age_on(on),
                needs=needs(person),
                document=documents.get(person.document_type, person.document_type),
                status=statuses.get(booking.status, booking.status),
                booked_by=by % {"user": creator.get_username()} if creator else "",
                cancel_url=f"{cancel_before}{booking.pk}{cancel_after}",
                cancel_label=mark_safe(cancel % {"name": escape(person)}),  # noqa: S308
            )
        )
    return rows
