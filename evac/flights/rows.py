"""The manifest page's rows, prepared once per page and written as one fragment per row.

Django's template engine pays for every variable, filter, {% url %} and {% blocktranslate %}
in a loop again on each row: on a 400-seat manifest that was most of the page's time
(BENCHMARKS.md). What is the same for every row — URL prefixes, translated labels and
formats — is computed once here; each row is then one `fragment` (format_html's escaping
without its per-call cost, evac/core/fragments.py) instead of some thirty template
look-ups. The special-service codes and document flags are written the way their shared
template (flights/_checks.html, still the print view's and the boarding page's) writes
them, with its labels translated once for the page.
"""

from dataclasses import dataclass
from datetime import tzinfo

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from evac.core.clock import today
from evac.core.fragments import fragment, fragments
from evac.flights.checks import PassengerCheck
from evac.flights.models import Booking
from evac.flights.templatetags.flight_tags import needs
from evac.people.documents import DocumentIssue
from evac.people.models import Citizen
from evac.people.privacy import mask_document

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


def url_maker(name: str, *args: object) -> tuple[str, str]:
    """A URL reversed once with a placeholder as its last part: (before, after) the slot."""
    url = reverse(name, args=[*args, _SLOT])
    cut = url.rindex(f"/{_SLOT}/") + 1
    return url[:cut], url[cut + len(_SLOT) :]


def manifest_rows(bookings: list[Booking], *, operation_slug: str, flight_pk: int) -> list:
    detail_before, detail_after = url_maker("people:detail", operation_slug)
    cancel_before, cancel_after = url_maker("flights:cancel_seat", operation_slug, flight_pk)
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


_ROW = (
    '<tr{}><td>{}</td><th scope="row"><a href="{}">{}</a>{}</th><td><code>{}</code></td>'
    "<td>{}{}{}{}{}</td><td>{}{}</td>"
    '<td><span class="fl-seat-status fl-seat-{}">{}</span></td>'
    '<td><time datetime="{}">{}</time>{}</td>{}</tr>\n'
)


def manifest_rows_html(
    rows: list[ManifestRow], *, zone: tzinfo, booked_format: str, can_cancel: bool
) -> SafeString:
    """The table body's rows; the same markup the per-row template wrote."""
    checks = CheckWriter()
    alone = _("Without an adult of the household: %(reason)s")
    parts = []
    for number, row in enumerate(rows, start=1):
        booking, person = row.booking, row.person
        check = getattr(booking, "check", None)
        special = bool(check and check.special_service)
        flagged = special or bool(check and check.issues)
        booked_at = timezone.localtime(booking.created_at, zone)
        native = person.native_name
        cancel = ""
        if can_cancel:
            cancel = fragment(
                "<td>{}</td>",
                fragment(
                    '<a class="fl-button fl-quiet fl-danger-link" href="{}">{}</a>',
                    row.cancel_url,
                    row.cancel_label,
                )
                if booking.is_active
                else "",
            )
        parts.append(
            fragment(
                _ROW,
                mark_safe(' class="fl-cancelled"') if booking.status == "cancelled" else "",
                number,
                row.detail_url,
                person,
                fragment('<br><span class="fl-muted">{}</span>', native) if native else "",
                person.reference,
                row.age,
                fragment(
                    " · {}",
                    fragments(", ", '<span class="fl-need">{}</span>', ((n,) for n in row.needs)),
                )
                if row.needs
                else "",
                mark_safe("<br>") if special else "",
                checks.html(check) if flagged else "",
                fragment(
                    '<br><span class="fl-need">{}</span>',
                    alone % {"reason": booking.unaccompanied_reason},
                )
                if getattr(booking, "unaccompanied_reason", "")
                else "",
                row.document,
                fragment("<br><code>{}</code>", mask_document(person.document_number))
                if person.document_number
                else "",
                booking.status,
                row.status,
                booked_at.isoformat(),
                dateformat.format(booked_at, booked_format),
                fragment('<br><span class="fl-muted">{}</span>', row.booked_by)
                if row.booked_by
                else "",
                cancel,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part is a fragment


class CheckWriter:
    """A passenger's special-service codes and document flags, as flights/_checks.html
    writes them, with the title and the issues' labels translated once for the page."""

    def __init__(self) -> None:
        self.codes_title = _("IATA special-service codes")
        self.labels = {issue.value: str(issue.label) for issue in DocumentIssue}

    def html(self, check: PassengerCheck) -> SafeString:
        codes = ""
        if check.special_service:
            codes = fragment(
                '<span class="fl-ssr" title="{}">{}</span>',
                self.codes_title,
                fragments(
                    " ",
                    '<code class="fl-ssr-code">{}</code>',
                    ((c,) for c in check.special_service),
                ),
            )
        flags = ""
        if check.issues:
            flags = fragment(
                '<span class="fl-doc-flag" role="note">⚠ {}</span>',
                "; ".join(self.labels[issue] for issue in check.issues),
            )
        return fragment("{}{}\n", codes, flags)
