"""Headquarters invite headquarters: an invitation with no operation, a single-use expiring
link by e-mail, which grants the role when the password is set, then the second step. Only
headquarters send one; the link is no longer good once its sender has left headquarters."""

import logging
from datetime import timedelta

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from evac.accounts.models import Invitation
from evac.core.clock import now
from evac.notifications.invitations import headquarters_invite
from evac.notifications.models import CODE_MASK, Notification
from evac.operations.models import Headquarters
from tests.accounts.test_invitations import send_pending, set_password, token_in_the_last_email
from tests.api.client import token_client
from tests.api.test_privacy_api import _as_schemathesis
from tests.core.test_staff_translations import check, reading
from tests.logins import StaffClient, current_code

pytestmark = pytest.mark.django_db

PAGE = "/staff/headquarters/"
API = "/api/v1/headquarters/invitations/"
NEW = {"username": "hanna", "email": "hanna@mfa.example", "first_name": "Hanna"}
SITE = "http://testserver/"


@pytest.fixture(autouse=True)
def mailbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chief(db) -> User:
    user = User.objects.create_user("chief", email="chief@mfa.example")
    Headquarters.objects.create(user=user)
    return user


def test_headquarters_invite_a_colleague_who_joins_and_sets_up_the_second_step(
    client, chief, caplog
):
    client.force_login(chief)
    assert client.get(PAGE).status_code == 200
    with caplog.at_level(logging.INFO):
        sent = client.post(PAGE, NEW)
    assert sent.status_code == 302, sent.content.decode()
    hanna = User.objects.get(username="hanna")
    assert not hanna.has_usable_password()
    assert not Headquarters.objects.filter(user=hanna).exists()  # not before the link is used
    invitation = Invitation.objects.get(user=hanna)
    assert invitation.operation is None
    assert "chief sent hanna an invitation (headquarters)" in caplog.text
    assert "hanna, until" in client.get(PAGE).content.decode()

    send_pending()
    assert mail.outbox[-1].to == ["hanna@mfa.example"]
    assert "headquarters" in mail.outbox[-1].subject
    outbox_row = Notification.objects.get(staff_user=hanna)
    assert outbox_row.operation is None
    assert CODE_MASK in outbox_row.body and outbox_row.secret == ""
    visitor = StaffClient()
    with caplog.at_level(logging.INFO):
        done = set_password(token_in_the_last_email(), visitor=visitor)

    assert done["Location"].startswith("/accounts/two-factor/setup/")
    joined = Headquarters.objects.get(user=hanna)
    assert joined.history.get().history_user == chief
    assert "hanna joined headquarters, invited by chief" in caplog.text
    # The second step first: headquarters see no staff page before it.
    assert visitor.get(PAGE)["Location"].startswith("/accounts/two-factor/setup/")
    visitor.get("/accounts/two-factor/setup/")
    device = hanna.totpdevice_set.get()
    codes = visitor.post("/accounts/two-factor/setup/", {"code": current_code(device)})
    assert codes.status_code == 200
    assert visitor.get(PAGE).status_code == 200


def test_the_link_works_once_and_not_after_it_expires(chief):
    headquarters_invite(by=chief, site_url=SITE, **NEW)
    send_pending()
    token = token_in_the_last_email()
    Invitation.objects.update(
        created_at=now() - timedelta(days=4), expires_at=now() - timedelta(seconds=1)
    )
    assert set_password(token).status_code == 400

    headquarters_invite(by=chief, site_url=SITE, username="hanna")  # a new link
    send_pending()
    token = token_in_the_last_email()
    assert set_password(token).status_code == 302
    assert set_password(token, "Another-one-2026").status_code == 400
    assert Headquarters.objects.filter(user__username="hanna").count() == 1


def test_a_new_link_takes_the_earlier_one_back(chief):
    headquarters_invite(by=chief, site_url=SITE, **NEW)
    send_pending()
    first = token_in_the_last_email()
    headquarters_invite(by=chief, site_url=SITE, username="hanna")
    send_pending()
    assert set_password(first).status_code == 400
    assert set_password(token_in_the_last_email()).status_code == 302


def test_a_link_from_someone_who_has_left_headquarters_grants_nothing(chief):
    headquarters_invite(by=chief, site_url=SITE, **NEW)
    send_pending()
    Headquarters.objects.filter(user=chief).delete()
    assert set_password(token_in_the_last_email()).status_code == 400
    hanna = User.objects.get(username="hanna")
    assert not Headquarters.objects.filter(user=hanna).exists()
    assert not hanna.has_usable_password()


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_only_headquarters_invite_headquarters(client, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        headquarters_invite(by=user, site_url=SITE, **NEW)
    client.force_login(user)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, NEW).status_code == 403
    assert token_client(user).post(API, NEW, format="json").status_code == 403
    assert token_client(user).get(API).status_code == 403
    assert not User.objects.filter(username="hanna").exists()
    assert not Invitation.objects.exists()


def test_the_api_invites_and_lists_without_the_link(chief):
    api = token_client(chief)
    answer = api.post(API, NEW, format="json")
    assert answer.status_code == 201
    body = answer.json()
    assert (body["username"], body["new_account"]) == ("hanna", True)
    assert set(body) == {"username", "created_at", "expires_at", "new_account"}
    listed = api.get(API).json()["results"]
    assert [row["username"] for row in listed] == ["hanna"]

    again = api.post(API, {"username": "chief"}, format="json")
    assert again.status_code == 409  # already at headquarters (and has a password)
    no_mail = api.post(API, {"username": "ivan"}, format="json")
    assert no_mail.status_code == 400
    assert "email" in no_mail.json()["error"]["fields"]
    assert not User.objects.filter(username="ivan").exists()


def test_someone_with_a_password_is_not_invited(client, chief, alice):
    client.force_login(chief)
    refused = client.post(PAGE, {"username": "alice"})
    assert refused.status_code == 400
    assert "already has a password" in refused.content.decode()
    assert not Invitation.objects.exists()


def test_the_answers_match_the_published_schema(chief):
    raw = StaffClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    endpoint = schemathesis.openapi.from_dict(raw)["/api/v1/headquarters/invitations/"]
    api = token_client(chief)
    created = api.post(API, NEW, format="json")
    listed = api.get(API)
    assert (created.status_code, listed.status_code) == (201, 200)
    # Each raises, naming the field, when an answer contradicts the schema.
    endpoint["POST"].validate_response(_as_schemathesis(created, f"http://testserver{API}"))
    endpoint["GET"].validate_response(_as_schemathesis(listed, f"http://testserver{API}"))


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_ukrainian_or_russian_reader_meets_no_english_on_the_page(chief, language):
    headquarters_invite(by=chief, site_url=SITE, **NEW)
    client = reading(language, chief)
    assert check(client.get(PAGE), data=["chief", "hanna"], language=language) == set()
    refused = client.post(PAGE, {"username": "chief"})
    assert check(refused, data=["chief"], status=400, language=language) == set()
