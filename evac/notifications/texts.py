"""The words of each message, from templates/notifications/<kind>.<language>.txt.

A template's first line is the e-mail subject, then a blank line, then the text. An SMS is
the text on one line (line breaks become spaces); an e-mail keeps the lines. Times are the
airport's or city's local time with the zone named ("10:40 (UTC+6)"), since a person reads
them where they are, not where the server is.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.template import Context, TemplateDoesNotExist, engines
from django.utils import formats, translation

from evac.flights.models import Flight, GroundTransfer
from evac.places.models import Airport, City, city_name_in

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Rendered:
    language: str
    subject: str
    body: str


def render(kind: str, language: str, context: dict[str, Any], *, sms: bool) -> Rendered:
    """The message in `language`, or in English if there is no template in it."""
    # Plain text: no HTML escaping of apostrophes and ampersands.
    engine = engines["django"].engine
    try:
        template = engine.get_template(f"notifications/{kind}.{language}.txt")
    except TemplateDoesNotExist:
        language = FALLBACK_LANGUAGE
        template = engine.get_template(f"notifications/{kind}.{language}.txt")
    with translation.override(language):
        text = template.render(Context({**context, "language": language}, autoescape=False))
    subject, _, body = text.strip().partition("\n")
    lines = [line.strip() for line in body.strip().splitlines()]
    if sms:
        body = " ".join(" ".join(lines).split())
    else:
        body = "\n".join(lines).strip()
        while "\n\n\n" in body:
            body = body.replace("\n\n\n", "\n\n")
    return Rendered(language, " ".join(subject.split()), body)


def zone_name(moment: datetime) -> str:
    """UTC+6, UTC+5:30, UTC-3, UTC: the offset in force at that moment, in GSM characters."""
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def city_name(city: City, language: str) -> str:
    """The city as a reader of `language` knows it (see city_name_in)."""
    return city_name_in(city.name, city.name_native, city.name_ru, language)


@dataclass(frozen=True)
class LocalTime:
    time: str  # 10:40
    date: str  # 13 January / 13 січня
    zone: str  # UTC+6


def local_time(moment: datetime, place: City | Airport, language: str) -> LocalTime:
    """`moment` on the clock of `place`: a flight's airport (its zone is the flight's), or a
    city for a train or bus."""
    local = place.local_time(moment)
    with translation.override(language):
        # "E" is the month's name as it follows a day number (genitive in uk and ru).
        day = formats.date_format(local, "j E")
    return LocalTime(local.strftime("%H:%M"), day, zone_name(local))


def flight_context(flight: Flight, language: str) -> dict[str, Any]:
    """What the flight messages say about a flight, in the departure airport's local time."""
    departure, arrival = flight.departure_airport, flight.arrival_airport
    return {
        "number": flight.number,
        "from_city": city_name(departure.city, language),
        "from_iata": departure.iata_code,
        "to_city": city_name(arrival.city, language),
        "to_iata": arrival.iata_code,
        "departs": local_time(flight.departs_at, departure, language),
        "be_there": local_time(flight.report_at, departure, language),
    }


def transfer_context(transfer: GroundTransfer, language: str) -> dict[str, Any]:
    """What messages say about a train, bus or convoy, in its departure city's local time;
    the templates name the mode in their own words."""
    return {
        "mode": transfer.mode,
        "number": transfer.number,
        "from_city": city_name(transfer.from_city, language),
        "to_city": city_name(transfer.to_city, language),
        "departs": local_time(transfer.departs_at, transfer.from_city, language),
        "arrives": local_time(transfer.arrives_at, transfer.to_city, language),
        "meeting_point": transfer.meeting_point,
    }


def meeting_points_cut(context: dict[str, Any], room: int) -> dict[str, Any]:
    """The context with each leg's meeting point cut to `room` characters ("..." marking a
    cut), for an SMS that would not fit otherwise: the e-mail keeps them whole."""

    def cut(leg: dict[str, Any]) -> dict[str, Any]:
        point = leg.get("meeting_point", "")
        if len(point) <= room:
            return leg
        return {**leg, "meeting_point": point[:room].rstrip() + "..." if room else ""}

    cut_context = dict(context)
    if context.get("legs"):
        cut_context["legs"] = [cut(leg) for leg in context["legs"]]
    if isinstance(context.get("transfer"), dict):
        cut_context["transfer"] = cut(context["transfer"])
    return cut_context
