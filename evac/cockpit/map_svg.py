"""The dashboard's map of an operation, drawn on the server as inline SVG (as charts.py draws
its chart): no tile server, no script, no network, so it works offline and under the CSP.

An equirectangular projection scaled by the cosine of the middle latitude: for one
country (Kazakhstan spans 40–55° N) distances and shapes are close enough to read, and the
arithmetic is two lines. The frame is the country's outline with every place of the
operation inside it; a flight to another country (Nur-Sultan → Kyiv) is drawn to the edge
of the frame and labelled with where it goes.

What the map says is never colour alone: a city whose people need a transfer is hatched
and labelled so, a suspended airport is a crossed square, a transfer a dashed line and a
flight a solid one, and the legend says so. Each circle links to that city's waiting list;
the page puts the same numbers in a table.
"""

import math
from collections.abc import Callable, Iterable

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evac.cockpit.map_data import MapCity, MapRoute, OperationMap, Point

WIDTH = 800
PAD = 28  # around the frame, room for labels
LEGEND_HEIGHT = 56
MAX_RADIUS, MIN_RADIUS = 30.0, 5.0
INK, LAND, COAST = "#1b1f23", "#f3f4f6", "#8c959f"
WAITING = "#2563eb"  # people waiting in a city with an open airport
TRANSFER = "#c2410c"  # people waiting who need a transfer first (hatched as well)
ROUTE_TRANSFER, ROUTE_FLIGHT = "#6d28d9", "#0f766e"
HALO = 'stroke="#fff" stroke-width="3" paint-order="stroke"'


class Projection:
    """Longitude and latitude to x and y in the SVG, for one frame."""

    def __init__(self, west: float, south: float, east: float, north: float) -> None:
        self.west, self.north = west, north
        self.squeeze = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * self.squeeze, 0.5)
        span_y = max(north - south, 0.5)
        self.scale = (WIDTH - 2 * PAD) / span_x
        self.width = WIDTH
        self.height = round(span_y * self.scale + 2 * PAD)

    def xy(self, point: Point) -> tuple[float, float]:
        lat, lon = point
        return (
            PAD + (lon - self.west) * self.squeeze * self.scale,
            PAD + (self.north - lat) * self.scale,
        )

    def inside(self, x: float, y: float) -> bool:
        return 0 <= x <= self.width and 0 <= y <= self.height


def frame_of(points: Iterable[Point], margin: float = 0.5) -> tuple[float, ...] | None:
    """West, south, east, north around the points, with `margin` degrees to spare."""
    points = list(points)
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)


def circle_radius(waiting: int, most: int) -> float:
    """The circle's area is in proportion to the number of people (so its radius to the
    square root), with a floor so that one person is still a visible, clickable circle."""
    if most <= 0 or waiting <= 0:
        return MIN_RADIUS
    return max(MIN_RADIUS, MAX_RADIUS * math.sqrt(waiting / most))


def clip_to_frame(
    start: tuple[float, float], end: tuple[float, float], width: float, height: float
) -> tuple[tuple[float, float], tuple[float, float], bool] | None:
    """The part of the segment inside the frame (Liang–Barsky), and whether its end was cut;
    None when none of it is inside."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0), (dx, width - x0), (-dy, y0), (dy, height - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    return (x0 + low * dx, y0 + low * dy), (x0 + high * dx, y0 + high * dy), high < 1.0


def operation_map_svg(
    operation_map: OperationMap, *, waiting_url: Callable[[int], str], title: str
) -> SafeString:
    """The map as one <svg>; `waiting_url(city_id)` is the waiting list of a city."""
    inside = [c.point for c in operation_map.cities if c.point]
    inside += [a.point for a in operation_map.airports if a.point]
    for route in operation_map.transfers:
        inside += [p for p in (route.start, route.end) if p]
    outline_points = [(lat, lon) for ring in operation_map.outline for lon, lat in ring]
    frame = frame_of(outline_points + inside)
    if frame is None:
        empty = escape(_("No place of this operation has coordinates yet."))
        return mark_safe(f'<p class="map-empty">{empty}</p>')  # noqa: S308 — escaped
    projection = Projection(*frame)
    height = projection.height + LEGEND_HEIGHT
    description = map_description(operation_map)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="operation-map" id="operation-map" '
        f'viewBox="0 0 {WIDTH} {height}" role="group" '
        f'aria-labelledby="operation-map-title" aria-describedby="operation-map-desc" '
        f'font-size="12" font-family="inherit">'
        f'<title id="operation-map-title">{escape(title)}</title>'
        f'<desc id="operation-map-desc">{escape(description)}</desc>',
        _defs(),
        f'<rect width="{WIDTH}" height="{projection.height}" fill="#fff"/>',
        _outline(operation_map, projection),
    ]
    parts += _routes(operation_map.transfers, projection, transfer=True)
    parts += _routes(operation_map.flights, projection, transfer=False)
    parts += _cities(operation_map.cities, projection, waiting_url)
    parts += _airports(operation_map, projection)
    parts.append(_legend(projection.height))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()


def map_description(operation_map: OperationMap) -> str:
    waiting = sum(c.waiting for c in operation_map.cities)
    needing = sum(c.waiting for c in operation_map.cities if c.needs_transfer)
    suspended = [a.iata_code for a in operation_map.airports if not a.is_open]
    sentences = [
        ngettext(
            "%(count)d person waiting in %(cities)d cities.",
            "%(count)d people waiting in %(cities)d cities.",
            waiting,
        )
        % {"count": waiting, "cities": len(operation_map.cities)},
        ngettext(
            "%(count)d of them needs a transfer to another city's airport.",
            "%(count)d of them need a transfer to another city's airport.",
            needing,
        )
        % {"count": needing},
    ]
    if suspended:
        sentences.append(_("Suspended airports: %(codes)s.") % {"codes": ", ".join(suspended)})
    sentences.append(
        _("Transfers ahead: %(transfers)d. Flights ahead: %(flights)d.")
        % {"transfers": len(operation_map.transfers), "flights": len(operation_map.flights)}
    )
    return " ".join(sentences)


def _defs() -> str:
    return (
        "<defs>"
        f'<pattern id="map-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{TRANSFER}" '
        f'fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="6" stroke="{TRANSFER}" '
        f'stroke-width="3"/></pattern>'
        f'<marker id="map-arrow-transfer" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{ROUTE_TRANSFER}"/></marker>'
        f'<marker id="map-arrow-flight" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{ROUTE_FLIGHT}"/></marker>'
        "</defs>"
    )


def _outline(operation_map: OperationMap, projection: Projection) -> str:
    if not operation_map.outline:
        return ""
    rings = []
    for ring in operation_map.outline:
        points = [projection.xy((lat, lon)) for lon, lat in ring]
        rings.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z")
    return (
        f'<path class="map-outline" d="{" ".join(rings)}" fill="{LAND}" stroke="{COAST}" '
        f'stroke-width="1.2" fill-rule="evenodd"><title>{escape(operation_map.country)}</title>'
        "</path>"
    )


def _routes(routes: list[MapRoute], projection: Projection, *, transfer: bool) -> list[str]:
    """One line per route (origin → destination), naming everything that takes it."""
    grouped: dict[tuple[Point, Point], list[MapRoute]] = {}
    for route in routes:
        if route.drawn:
            grouped.setdefault((route.start, route.end), []).append(route)
    colour = ROUTE_TRANSFER if transfer else ROUTE_FLIGHT
    kind = "transfer" if transfer else "flight"
    dash = ' stroke-dasharray="7 5"' if transfer else ""
    parts = []
    for (start, end), taking in grouped.items():
        clipped = clip_to_frame(
            projection.xy(start), projection.xy(end), projection.width, projection.height
        )
        if clipped is None:
            continue
        (x0, y0), (x1, y1), cut = clipped
        names = ", ".join(escape(_short(r)) for r in taking)
        where = escape(f"{taking[0].origin} → {taking[0].destination}")
        parts.append(
            f'<g class="map-route map-{kind}"><line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" '
            f'y2="{y1:.1f}" stroke="{colour}" stroke-width="2.5"{dash} '
            f'marker-end="url(#map-arrow-{kind})"/><title>{names}: {where}</title>'
        )
        label = names if not cut else f"{names} → {escape(taking[0].end_code)}"
        lx, ly = (x0 + x1) / 2, (y0 + y1) / 2 - 6
        anchor = "middle"
        if cut:
            lx, ly = _inset(x1, y1, projection)
            anchor = "end" if x1 > projection.width / 2 else "start"
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" fill="{colour}" '
            f"{HALO}>{label}</text></g>"
        )
    return parts


def _short(route: MapRoute) -> str:
    """A line's label: what takes it and its local day of departure."""
    return f"{route.label} · {date_format(route.departs_local, _('j M'))}"


def _inset(x: float, y: float, projection: Projection) -> tuple[float, float]:
    return (
        min(max(x, 6), projection.width - 6),
        min(max(y + 14, 14), projection.height - 6),
    )


def _cities(
    cities: list[MapCity], projection: Projection, waiting_url: Callable[[int], str]
) -> list[str]:
    placed = [c for c in cities if c.point is not None and c.city_id is not None]
    most = max((c.waiting for c in placed), default=0)
    parts = []
    # Larger circles first, so a small one is never hidden under a large one.
    for city in sorted(placed, key=lambda c: -c.waiting):
        x, y = projection.xy(city.point)
        r = circle_radius(city.waiting, most)
        fill = (
            'fill="url(#map-hatch)"'
            if city.needs_transfer
            else f'fill="{WAITING}" fill-opacity="0.45"'
        )
        stroke = TRANSFER if city.needs_transfer else WAITING
        name = escape(city.name)
        text = ngettext(
            "%(city)s: %(count)d person waiting",
            "%(city)s: %(count)d people waiting",
            city.waiting,
        ) % {"city": name, "count": city.waiting}
        label = f"{name} {city.waiting}"
        if city.needs_transfer:
            text += escape(_(", needs a transfer"))
        kind = "map-city-transfer" if city.needs_transfer else "map-city-waiting"
        parts.append(
            f'<a href="{escape(waiting_url(city.city_id))}" class="map-city {kind}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {fill} stroke="{stroke}" '
            f'stroke-width="2" data-waiting="{city.waiting}"/>'
            f"<title>{text}</title>"
            f'<text x="{x + r + 4:.1f}" y="{y + 4:.1f}" fill="{INK}" font-weight="600" '
            f"{HALO}>{label}</text>"
        )
        if city.needs_transfer:
            parts.append(
                f'<text x="{x + r + 4:.1f}" y="{y + 18:.1f}" fill="{TRANSFER}" {HALO}>'
                f"{escape(_('needs a transfer'))}</text>"
            )
        parts.append("</a>")
    return parts


def _airports(operation_map: OperationMap, projection: Projection) -> list[str]:
    parts = []
    for airport in operation_map.airports:
        if airport.point is None:
            continue
        x, y = projection.xy(airport.point)
        code = escape(airport.iata_code)
        status = escape(airport.status_label.lower())
        parts.append(
            f'<g class="map-airport map-airport-{"open" if airport.is_open else "suspended"}">'
        )
        parts.append(_airport_mark(x, y, is_open=airport.is_open))
        parts.append(
            f"<title>{code} {escape(airport.city_name)}: {status}</title>"
            f'<text x="{x - 9:.1f}" y="{y + 20:.1f}" text-anchor="end" fill="{INK}" {HALO}>'
            f"{code}{'' if airport.is_open else ' · ' + status}</text></g>"
        )
    return parts


def _airport_mark(x: float, y: float, *, is_open: bool) -> str:
    square = (
        f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" '
        f'fill="{INK if is_open else "#fff"}" stroke="{INK}" stroke-width="2"/>'
    )
    if is_open:
        return square
    return square + (
        f'<path d="M{x - 6:.1f},{y - 6:.1f} L{x + 6:.1f},{y + 6:.1f} '
        f'M{x + 6:.1f},{y - 6:.1f} L{x - 6:.1f},{y + 6:.1f}" stroke="{INK}" stroke-width="2"/>'
    )


def _legend(top: float) -> str:
    row1, row2 = top + 18, top + 42
    items = [
        (
            f'<circle cx="16" cy="{row1 - 4}" r="7" fill="{WAITING}" fill-opacity="0.45" '
            f'stroke="{WAITING}" stroke-width="2"/>',
            30,
            row1,
            _("people waiting (area by number)"),
        ),
        (
            f'<circle cx="276" cy="{row1 - 4}" r="7" fill="url(#map-hatch)" stroke="{TRANSFER}" '
            f'stroke-width="2"/>',
            290,
            row1,
            _("hatched: needs a transfer"),
        ),
        (_airport_mark(506, row1 - 4, is_open=True), 522, row1, _("airport open")),
        (_airport_mark(16, row2 - 4, is_open=False), 32, row2, _("airport suspended")),
        (
            f'<line x1="214" y1="{row2 - 4}" x2="246" y2="{row2 - 4}" stroke="{ROUTE_TRANSFER}" '
            f'stroke-width="2.5" stroke-dasharray="7 5"/>',
            252,
            row2,
            _("transfer ahead"),
        ),
        (
            f'<line x1="440" y1="{row2 - 4}" x2="472" y2="{row2 - 4}" stroke="{ROUTE_FLIGHT}" '
            f'stroke-width="2.5"/>',
            478,
            row2,
            _("flight ahead"),
        ),
    ]
    parts = ['<g class="map-legend">']
    for mark, x, y, text in items:
        parts.append(f'{mark}<text x="{x}" y="{y}" fill="{INK}">{escape(text)}</text>')
    parts.append("</g>")
    return "".join(parts)
