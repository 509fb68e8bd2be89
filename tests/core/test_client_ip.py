"""One answer to "what is the client's address", for the access log and the rate limits alike."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse
from django_ratelimit.core import _get_ip

from evac.core.requests import client_ip, client_ip_for_rate_limits
from tests.core.test_settings import _start_django


def request_from(remote_addr: str, **headers: str):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.fixture
def behind_a_proxy(settings):
    settings.EVAC_CLIENT_IP_HEADER = "X-Forwarded-For"


def test_without_a_proxy_it_is_the_connections_address(settings):
    settings.EVAC_CLIENT_IP_HEADER = ""
    # A header is ignored unless configured: any client can send one.
    request = request_from("203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("192.0.2.44", "192.0.2.44"),
        # What the client claimed comes first; the nearest proxy's entry last.
        ("198.51.100.1, 192.0.2.44", "192.0.2.44"),
        ("2001:DB8:0::1", "2001:db8::1"),
        # Missing or not an address: the connection's (the proxy's) address.
        ("", "10.0.0.2"),
        ("unknown", "10.0.0.2"),
        ("192.0.2.44, <script>", "10.0.0.2"),
    ],
)
def test_behind_a_proxy_it_is_the_address_the_proxy_saw(behind_a_proxy, forwarded, expected):
    request = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_no_address_at_all_is_none_for_the_log_and_a_clear_error_for_the_limits(settings):
    settings.EVAC_CLIENT_IP_HEADER = ""
    request = request_from("")

    assert client_ip(request) is None
    with pytest.raises(ImproperlyConfigured, match="EVAC_CLIENT_IP_HEADER"):
        client_ip_for_rate_limits(request)


def test_django_ratelimit_asks_the_same_function(behind_a_proxy):
    request = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.44")

    assert _get_ip(request) == client_ip(request) == "192.0.2.44"


@pytest.mark.django_db
def test_the_portal_limits_each_visitor_behind_the_proxy_not_the_proxy(
    client, operation, behind_a_proxy, settings
):
    settings.EVAC_PORTAL_RATE_PER_IP = "2/m"
    cache.clear()
    url = reverse("portal:status", args=[operation.slug])

    def lookup(visitor: str, code: str):
        form = {"reference": code, "date_of_birth": "1990-01-01"}
        return client.post(url, form, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=visitor)

    try:
        assert lookup("192.0.2.1", "AAAA-AAA2").status_code == 200
        assert lookup("192.0.2.1", "AAAA-AAA3").status_code == 200
        assert lookup("192.0.2.1", "AAAA-AAA4").status_code == 429
        assert lookup("192.0.2.2", "AAAA-AAA5").status_code == 200
    finally:
        cache.clear()


def test_the_old_rate_limit_variable_stops_start_up_and_names_the_new_one(tmp_path):
    # It named a request.META key; left set, it would quietly stop meaning anything.
    result = _start_django(tmp_path, DEBUG="1", RATELIMIT_IP_META_KEY="HTTP_X_FORWARDED_FOR")

    assert result.returncode != 0
    assert "EVAC_CLIENT_IP_HEADER" in result.stderr
