"""What Evac reads from a request, in one place: who made it, through which door, and the
client's address (for the portal's rate limits and the access log).

Without a proxy it is the connection's address (REMOTE_ADDR). Behind a proxy every request
comes from the proxy, so EVAC_CLIENT_IP_HEADER names the header the proxy writes the client's
address into. X-Forwarded-For may hold a list ("client, proxy1, …"); its last entry is the one
the nearest proxy added, the only one a client can't write, so that is the one taken. (Behind
two proxies that is the outer proxy's address: name a header the outer proxy sets instead.)
"""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from rest_framework.request import Request

from evac.core.actor import Actor


def _header_meta_key(header: str) -> str:
    """ "X-Forwarded-For" → "HTTP_X_FORWARDED_FOR", the key Django files it under."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _address(raw: str) -> str | None:
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, or None when neither the header nor the connection gives one.

    A header that is missing or holds no address falls back to REMOTE_ADDR (the proxy): a
    request that reached us some other way is still counted and logged, never refused for it.
    """
    header = settings.EVAC_CLIENT_IP_HEADER
    if header:
        listed = request.META.get(_header_meta_key(header), "").split(",")
        address = _address(listed[-1])
        if address is not None:
            return address
    return _address(request.META.get("REMOTE_ADDR", ""))


def client_ip_for_rate_limits(request: HttpRequest) -> str:
    """client_ip for django-ratelimit (RATELIMIT_IP_META_KEY), which needs an address."""
    address = client_ip(request)
    if address is None:
        # As django-ratelimit says itself: a proxy speaking over a Unix socket leaves
        # REMOTE_ADDR empty, and every visitor would share one limit.
        raise ImproperlyConfigured(
            "The client's IP address is unknown: REMOTE_ADDR is empty. Behind a proxy, set "
            "EVAC_CLIENT_IP_HEADER to the header it writes the client's address into."
        )
    return address


@dataclass(frozen=True)
class Caller:
    """Who made a request and how, as plain values for the records that name them."""

    user: Actor
    method: str
    through_api: bool  # a REST API request (Django REST framework's), not a staff page
    ip_address: str | None


def caller_of(request: HttpRequest | Request) -> Caller:
    return Caller(
        user=request.user,
        method=request.method or "",
        through_api=isinstance(request, Request),
        ip_address=client_ip(request),
    )
