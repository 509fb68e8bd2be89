"""Every response tells the browser: no framing, no type sniffing, no referrer to other sites."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/healthz"])
def test_the_security_headers_are_on_every_kind_of_page(client, operation, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_out_of_reach_of_scripts(client, alice):
    alice.set_password("quiet-steppe-morning")
    alice.save()
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "quiet-steppe-morning"}
    )
    assert response.cookies["sessionid"]["httponly"] is True
    assert response.cookies["sessionid"]["max-age"] == 30 * 60


def test_over_https_the_browser_is_told_to_stay_on_https(client, settings):
    # What EVAC_HTTPS=1 sets (tests/core/test_deploy_check.py checks that it does).
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_SSL_REDIRECT = True

    plain = client.get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/accounts/login/"
    # A load balancer's health check may come over plain HTTP.
    assert client.get("/healthz").status_code == 200

    secure = client.get("/accounts/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
