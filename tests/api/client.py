"""How the API tests call the API: as a browser session, with a token, or as nobody."""

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from evac.api.services import api_token_create
from evac.core.actor import EVAC
from evac.operations.models import Operation
from tests.logins import pass_second_factor


def session_client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
        pass_second_factor(client, user)
    return client


def token_client(user: User) -> APIClient:
    _token, key = api_token_create(user=user, name="test", by=EVAC)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def op_url(operation: Operation, rest: str = "") -> str:
    return f"/api/v1/operations/{operation.slug}/{rest}"


def error_of(response) -> dict:
    """The error body, after checking it has the one shape every 4xx answer has."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert body["error"]["message"], body
    return body["error"]
