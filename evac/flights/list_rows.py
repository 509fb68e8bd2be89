"""The flight list's and the transfers list's rows, written as one fragment per row from
values prepared once a page.

The list used to render three {% include %}s (route, status, seats), the time-to-departure
filter, a {% blocktranslate %} and a date with a translated format for each of its 50 rows:
most of the page's time under the profiler (BENCHMARKS.md). Here the translated words,
formats, status labels and the manifest URL's prefix are computed once for the page, the
route once for each pair of airports, and each row is one `fragment` (every value
escaped) with the same markup the templates wrote: flights/_route.html, _status.html and
_seats.html stay the templates of the flight's own pages (header, boarding).
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from evac.core.fragments import fragment
from evac.flights.models import FLOWN_STATUSES, Flight, GroundTransfer
from evac.flights.rows import url_maker
from evac.flights.templatetags.flight_tags import time_to_departure
from evac.places.models import Airport

_ROW = (
    '\n    <tr>\n      <th scope="row"><a href="{}">{}</a><br><span class="fl-muted">{}</span>'
    "</th>\n      <td>{}</td>\n"
    '      <td><time datetime="{}">{}</time></td>\n'
    "      <td>{}</td>\n"
    '      <td><span class="fl-status fl-status-{}">{}</span>\n</td>\n'
    "      <td>{}</td>\n    </tr>\n  "
)
_ROUTE = (
    '<abbr title="{}">{}</abbr> {} <span aria-hidden="true">→</span>'
    '<span class="fl-sr-only">{}</span> <abbr title="{}">{}</abbr> {}\n'
)
_SEATS = (
    '<span class="fl-seats"><meter min="0" max="{}" value="{}" aria-hidden="true"></meter> '
    "<span>{}</span></span>\n"
)


def flight_list_rows_html(
    flights: Iterable[Flight], *, operation_slug: str, moment: datetime
) -> SafeString:
    """The table body's rows, or "" for no flights; `moment` is "now" for the whole page."""
    manifest_before, manifest_after = url_maker("flights:manifest", operation_slug)
    statuses = {value: str(label) for value, label in Flight.Status.choices}
    departs_format = _("j M Y H:i T")
    to = pgettext("route, from one airport to the other", "to")
    routes: dict[tuple[int, int], SafeString] = {}

    def route(flight: Flight) -> SafeString:
        key = (flight.departure_airport_id, flight.arrival_airport_id)
        if key not in routes:
            routes[key] = _route(flight.departure_airport, flight.arrival_airport, to)
        return routes[key]

    parts = []
    for flight in flights:
        departs = timezone.localtime(flight.departs_at, flight.departure_airport.zone)
        parts.append(
            fragment(
                _ROW,
                f"{manifest_before}{flight.pk}{manifest_after}",
                flight.number,
                flight.carrier,
                route(flight),
                departs.isoformat(),
                dateformat.format(departs, departs_format),
                time_to_departure(flight, moment),
                flight.status,
                statuses.get(flight.status, flight.status),
                _seats(flight),
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part is a fragment


def _route(departure: Airport, arrival: Airport, to: str) -> SafeString:
    return fragment(
        _ROUTE,
        departure.name,
        departure.iata_code,
        departure.city,
        to,
        arrival.name,
        arrival.iata_code,
        arrival.city,
    )


def _seats(flight: Flight) -> SafeString:
    booked, total = flight.seats_booked, flight.seats_total
    if flight.status not in FLOWN_STATUSES:
        # Translated text with numbers only: safe as the template's own text was.
        label = _("%(booked)s of %(total)s seats booked") % {"booked": booked, "total": total}
        return fragment(_SEATS, total, booked, mark_safe(label))  # noqa: S308
    flown = getattr(flight, "flown", 0)  # the past flights' count of people on board
    flew = ngettext("%(n)s person flew", "%(n)s people flew", flown) % {"n": flown}
    if flown == booked:
        return mark_safe(flew)  # noqa: S308 - translated text and a number
    also = _("(%(booked)s booked)") % {"booked": booked}
    return fragment('{} <span class="fl-muted">{}</span>', mark_safe(flew), mark_safe(also))  # noqa: S308


_TRANSFER_ROW = (
    '\n    <tr>\n      <th scope="row"><a href="{}">{}</a>{}</th>\n'
    "      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{} / {}</td>\n    </tr>\n  "
)


def transfer_list_rows_html(
    transfers: Iterable[GroundTransfer], *, operation_slug: str
) -> SafeString:
    """The transfers table's rows, or "" for none: as the flight list's, one fragment a row
    with the link's prefix, the status labels and the date format prepared once."""
    detail_before, detail_after = url_maker("transfers:detail", operation_slug)
    statuses = {value: str(label) for value, label in GroundTransfer.Status.choices}
    moment_format = _("j M Y H:i T")
    parts = []
    for transfer in transfers:
        departs = timezone.localtime(transfer.departs_at, transfer.from_city.time_zone)
        arrives = timezone.localtime(transfer.arrives_at, transfer.to_city.time_zone)
        parts.append(
            fragment(
                _TRANSFER_ROW,
                f"{detail_before}{transfer.pk}{detail_after}",
                transfer,
                fragment('<br><span class="fl-muted">{}</span>', transfer.operator)
                if transfer.operator
                else "",
                dateformat.format(departs, moment_format),
                dateformat.format(arrives, moment_format),
                statuses.get(transfer.status, transfer.status),
                transfer.seats_booked,
                transfer.seats_total,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part is a fragment
