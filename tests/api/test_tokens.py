"""Staff create and revoke their own tokens; a token acts as its owner until revoked."""

from rest_framework.test import APIClient

from evac.api.models import ApiToken
from tests.api.client import error_of, op_url, session_client, token_client


def _with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_signed_in_member_creates_a_token_and_sees_its_key_once(operation, bob):
    response = session_client(bob).post("/api/v1/tokens/", {"name": "hotline tool"}, "json")

    assert response.status_code == 201
    key = response.json()["key"]
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.prefix) == (bob, "hotline tool", key[:12])
    assert key not in token.key_hash  # only the hash is kept
    listed = session_client(bob).get("/api/v1/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["hotline tool"]
    assert "key" not in listed[0]


def test_the_key_acts_as_its_owner_and_is_marked_used(operation, bob):
    key = session_client(bob).post("/api/v1/tokens/", {"name": "app"}, "json").json()["key"]

    response = _with_key(key).get(op_url(operation))

    assert response.status_code == 200
    assert response.json()["role"] == "officer"
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_is_refused(operation, bob):
    created = session_client(bob).post("/api/v1/tokens/", {"name": "app"}, "json").json()

    revoked = session_client(bob).delete(f"/api/v1/tokens/{created['id']}/")
    after = _with_key(created["key"]).get(op_url(operation))

    assert revoked.status_code == 204
    assert after.status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_a_token_cannot_make_more_tokens(bob):
    response = token_client(bob).post("/api/v1/tokens/", {"name": "copy"}, "json")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert ApiToken.objects.count() == 1


def test_nobody_sees_or_revokes_someone_elses_token(operation, alice, bob):
    bobs = session_client(bob).post("/api/v1/tokens/", {"name": "app"}, "json").json()

    seen = session_client(alice).get(f"/api/v1/tokens/{bobs['id']}/")
    revoked = session_client(alice).delete(f"/api/v1/tokens/{bobs['id']}/")
    listed = session_client(alice).get("/api/v1/tokens/").json()["results"]

    assert seen.status_code == revoked.status_code == 404
    assert listed == []
    assert _with_key(bobs["key"]).get(op_url(operation)).status_code == 200


def test_the_command_line_prints_a_working_key(operation, carol):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("api_token", "carol", "--name", "dashboard", stdout=out)

    assert _with_key(out.getvalue().strip()).get(op_url(operation)).status_code == 200


def test_the_docs_page_gives_the_browser_what_it_needs_to_create_a_token(bob):
    import re

    browser = session_client(bob)
    browser.handler.enforce_csrf_checks = True
    # The page's set-up script, which the docs page loads from ?script (no inline scripts).
    page = browser.get("/api/docs/?script=").content.decode()
    # Swagger UI sends this header with every request it makes from the page.
    (csrf,) = re.findall(r'request\.headers\["X-CSRFTOKEN"\] = "([^"]+)"', page)

    response = browser.post(
        "/api/v1/tokens/", {"name": "from the docs"}, format="json", HTTP_X_CSRFTOKEN=csrf
    )

    assert response.status_code == 201
    assert response.json()["key"].startswith("evac_")
