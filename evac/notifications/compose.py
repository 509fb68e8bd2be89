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
    rendered = texts.render(kind, language, context, sms=sms)
    return {
        "channel": channel,
        "to_address": to,
        "language": rendered.language,
        "subject": "" if sms else rendered.subject,
        "body": rendered.body,
    }


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
            "until": texts.local_time(
                until, flight.departure_airport.city, citizen.preferred_language
            ),
            "portal_url": parameters.get("portal_url", ""),
        }
    if kind == N.Kind.SEAT_OFFER_ENDED and flight is not None and "how" in parameters:
        return {**_flight_context(flight, citizen), "how": parameters["how"]}
    if kind in FLIGHT_KINDS and flight is not None:
        if kind != N.Kind.FLIGHT_REMINDER:
            return _flight_context(flight, citizen)
        if "hours" in parameters:
            return {**_flight_context(flight, citizen), "hours": parameters["hours"]}
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
