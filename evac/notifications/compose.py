"""What a message says: its context, made from the rows it is about as they are now, and its
rendered fields. The same when a message is scheduled and when it is rewritten for a
person's new contact details (addressing.notifications_readdress)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from evac.flights.models import Flight, GroundTransfer
from evac.notifications import texts
from evac.notifications.models import Notification
from evac.notifications.sms import MAX_SMS_SEGMENTS, sms_length
from evac.operations.models import Operation
from evac.people.models import Citizen, Language

N = Notification
# Messages about one flight: their text is made from the flight as it is now.
FLIGHT_KINDS = (
    N.Kind.BOOKING_CONFIRMATION,
    N.Kind.FLIGHT_REMINDER,
    N.Kind.FLIGHT_CHANGED,
    N.Kind.FLIGHT_CANCELLED,
)


# A broadcast's text for every language at once, when staff write one text for all.
ALL_LANGUAGES = "*"


def broadcast_text(parameters: dict[str, Any], language: str | None) -> str | None:
    """The words of a broadcast for a reader of `language`: the text staff wrote in it, or
    their one text for all; None when they wrote neither (the message keeps its words)."""
    if "texts" in parameters:
        written = parameters["texts"]
        return written.get(language) or written.get(ALL_LANGUAGES)
    return parameters.get("text")  # a broadcast written before texts per language


def message_fields(
    kind: str, language: str, *, channel: str, to: str, context: dict[str, Any]
) -> dict[str, str]:
    """The fields of a message that say what it says, where to and how."""
    sms = channel == N.Channel.SMS
    if sms:
        rendered = sms_fitted(kind, language, context)
    else:
        rendered = texts.render(kind, language, context, sms=False)
    return {
        "channel": channel,
        "to_address": to,
        "language": rendered.language,
        "subject": "" if sms else rendered.subject,
        "body": rendered.body,
    }


# How much shorter each try at fitting an SMS makes the meeting points.
MEETING_POINT_STEP = 10


def sms_fitted(kind: str, language: str, context: dict[str, Any]) -> texts.Rendered:
    """The SMS, made to fit in MAX_SMS_SEGMENTS: a journey's message names every leg, and a
    meeting point may be 200 characters. First the meeting points are cut as short as it
    takes; if that is not enough, the legs are named in short (`compact`: the first leg's
    city, day and time, the others by number) and the meeting points cut again. The e-mail
    always has them whole."""
    rendered = texts.render(kind, language, context, sms=True)
    if not _legs_in(context):
        return rendered
    longest = max(len(leg.get("meeting_point", "")) for leg in _legs_in(context))
    for compact in (False, True):
        room = longest
        while True:
            cut = {**texts.meeting_points_cut(context, room), "compact": compact}
            rendered = texts.render(kind, language, cut, sms=True)
            if sms_length(rendered.body).segments <= MAX_SMS_SEGMENTS or (compact and not room):
                return rendered
            if not room:
                break
            room = max(room - MEETING_POINT_STEP, 0)
    return rendered


def _legs_in(context: dict[str, Any]) -> list[dict[str, Any]]:
    legs = list(context.get("legs") or [])
    if isinstance(context.get("transfer"), dict):
        legs.append(context["transfer"])
    return legs


def legs_context(parameters: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The transfers of a journey named in `parameters["legs"]`, in order, as they are now."""
    ids = parameters.get("legs") or []
    found = GroundTransfer.objects.select_related("from_city", "to_city").in_bulk(ids)
    return [texts.transfer_context(found[pk], language) for pk in ids if pk in found]


def _person_context(citizen: Citizen, operation: Operation) -> dict[str, Any]:
    return {"citizen": citizen, "reference": citizen.reference, "hotline": operation.hotline_phone}


def _flight_context(flight: Flight, citizen: Citizen) -> dict[str, Any]:
    return {
        **_person_context(citizen, flight.operation),
        **texts.flight_context(flight, citizen.preferred_language),
    }


def registration_context(
    citizen: Citizen,
    operation: Operation,
    *,
    portal_url: str,
    others: Sequence[Citizen],
    part: int | None,
) -> dict[str, Any]:
    """A registration confirmation: the person's code and, named by their first given name,
    the codes of those registered with them (`part` 2, 3 … carry codes that didn't fit)."""
    named = [f"{p.reference} {(p.given_names.split() or [''])[0]}".strip() for p in others]
    return {
        **_person_context(citizen, operation),
        "portal_url": portal_url,
        "others": ", ".join(named),
        "part": part,
    }


def message_context(
    kind: str,
    *,
    operation: Operation,
    citizen: Citizen | None,
    flight: Flight | None,
    parameters: dict[str, Any],
) -> dict[str, Any] | None:
    """What a message's text is made from: the rows it is about, as they are now, and the
    parameters stored with it. The same when it is scheduled and when it is rewritten for
    new contact details. None when it can't be made: a kind that brings its own context, a
    flight that is gone, a row written before its parameters were kept.
    """
    if kind == N.Kind.BROADCAST:
        language = citizen.preferred_language if citizen is not None else None
        text = broadcast_text(parameters, language)
        if text is None:
            return None
        return {"text": text, "hotline": operation.hotline_phone}
    if citizen is None:
        return None
    if kind == N.Kind.CHECK_IN:
        return {
            **_person_context(citizen, operation),
            "city": texts.city_name(citizen.current_city, citizen.preferred_language),
        }
    if kind == N.Kind.REGISTRATION_REPEATED:
        return _person_context(citizen, operation)
    if kind == N.Kind.REGISTRATION_CONFIRMATION and parameters.keys() & {"portal_url", "part"}:
        ids = parameters.get("with", [])
        found = Citizen.objects.in_bulk(ids)
        return registration_context(
            citizen,
            operation,
            portal_url=parameters.get("portal_url", ""),
            others=[found[pk] for pk in ids if pk in found],
            part=parameters.get("part"),
        )
    if kind == N.Kind.FLIGHT_CHANGED and "transfer" in parameters:  # a train's or bus's
        transfer = (
            GroundTransfer.objects.select_related("from_city", "to_city")
            .filter(pk=parameters["transfer"])
            .first()
        )
        if transfer is None:
            return None
        return {
            **_person_context(citizen, operation),
            "transfer": texts.transfer_context(transfer, citizen.preferred_language),
        }
    if kind == N.Kind.SEAT_CANCELLED and "transfer" in parameters:
        transfer = (
            GroundTransfer.objects.select_related("from_city", "to_city")
            .filter(pk=parameters["transfer"])
            .first()
        )
        if transfer is None:
            return None
        return {
            **_person_context(citizen, operation),
            "transfer": texts.transfer_context(transfer, citizen.preferred_language),
            "reason": parameters.get("reason", ""),
            "flight_kept": parameters.get("flight_kept", False),
        }
    if kind == N.Kind.SEAT_CANCELLED and flight is not None and "reason" in parameters:
        return {**_flight_context(flight, citizen), "reason": parameters["reason"]}
    if kind == N.Kind.SEAT_OFFERED and flight is not None and "until" in parameters:
        until = datetime.fromisoformat(parameters["until"])
        return {
            **_flight_context(flight, citizen),
            "seats": parameters.get("seats", 1),
            "until": texts.local_time(until, flight.departure_airport, citizen.preferred_language),
            "portal_url": parameters.get("portal_url", ""),
        }
    if kind == N.Kind.SEAT_OFFER_ENDED and flight is not None and "how" in parameters:
        return {**_flight_context(flight, citizen), "how": parameters["how"]}
    if kind in FLIGHT_KINDS and flight is not None:
        context = _flight_context(flight, citizen)
        if parameters.get("legs"):  # a journey: the train or bus first, then the flight
            context["legs"] = legs_context(parameters, citizen.preferred_language)
        if kind != N.Kind.FLIGHT_REMINDER:
            return context
        if "hours" in parameters:
            return {**context, "hours": parameters["hours"]}
    return None


def registration_parts(
    citizen: Citizen, others: list[Citizen], status_url: str
) -> list[list[Citizen]]:
    """The people registered with `citizen`, split into as few registration messages as
    hold them, each within MAX_SMS_SEGMENTS in every language (a message rewritten later
    in another language must still fit)."""
    parts: list[list[Citizen]] = [[]]
    for person in others:
        candidate = [*parts[-1], person]
        number = len(parts)
        if _registration_fits(citizen, candidate, status_url, number) or (
            number > 1 and not parts[-1]
        ):
            parts[-1] = candidate
        else:
            parts.append([person])
    return parts


def _registration_fits(
    citizen: Citizen, others: list[Citizen], status_url: str, number: int
) -> bool:
    context = registration_context(
        citizen,
        citizen.operation,
        portal_url=status_url if number == 1 else "",
        others=others,
        part=number if number > 1 else None,
    )
    for language in Language.values:
        body = texts.render(N.Kind.REGISTRATION_CONFIRMATION, language, context, sms=True).body
        if sms_length(body).segments > MAX_SMS_SEGMENTS:
            return False
    return True
