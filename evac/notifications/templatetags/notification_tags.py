"""The messages box on a person's page and a flight's manifest, and text helpers."""

from django import template

from evac.flights.models import Flight
from evac.notifications import selectors, texts
from evac.notifications.models import Notification
from evac.notifications.privacy import shown_address, shown_error
from evac.operations.access import Permission
from evac.people.models import Citizen

register = template.Library()


@register.filter
def address_for(notification: Notification, can: dict[str, bool]) -> str:
    """Where a message went, as the page's reader may see it (notifications/privacy.py)."""
    permissions = {Permission(name) for name, allowed in can.items() if allowed}
    return shown_address(notification, permissions)


@register.filter
def error_for(notification: Notification, can: dict[str, bool]) -> str:
    """Why a message failed, as the page's reader may see it (notifications/privacy.py)."""
    permissions = {Permission(name) for name, allowed in can.items() if allowed}
    return shown_error(notification, permissions)


@register.filter
def departs_local_text(flight: Flight) -> str:
    """13 January 10:40 (UTC+6): a departure in its airport's local time, zone named."""
    moment = texts.local_time(flight.departs_at, flight.departure_airport, "en")
    return f"{moment.date} {moment.time} ({moment.zone})"


@register.inclusion_tag("notifications/_messages.html", takes_context=True)
def citizen_messages(context, citizen: Citizen) -> dict:
    return {
        **_page(context),
        "notifications": selectors.citizen_messages(citizen),
        "show_person": False,
        "outbox_query": "",
    }


@register.inclusion_tag("notifications/_messages.html", takes_context=True)
def flight_messages(context, flight: Flight) -> dict:
    return {
        **_page(context),
        "notifications": selectors.flight_messages(flight),
        "show_person": True,
        "outbox_query": f"?flight={flight.pk}",
    }


def _page(context) -> dict:
    return {
        "operation": context.get("operation"),
        "can": context.get("can", {}),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
        "limit": selectors.MESSAGES_SHOWN,
    }
