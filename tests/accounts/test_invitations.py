"""A new staff member's invitation: a single-use, expiring link by e-mail to set their own
password, then the second step; nobody on staff, in the API or the logs reads the link."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache

from evac.accounts.models import Invitation
from evac.core.clock import now
from evac.notifications.delivery import notification_send
from evac.notifications.models import CODE_MASK, Notification
from evac.operations.models import Membership, Role
from tests.logins import StaffClient, current_code

pytestmark = pytest.mark.django_db

N = Notification
PAGE = "/accounts/invitation/"
PASSWORD = "Karaganda-2022!"
NEW_MEMBER = {
    "username": "erin",
    "role": Role.OFFICER,
    "email": "erin@mfa.example",
    "first_name": "Erin",
    "last_name": "Shevchenko",
}
# The token rides in the fragment, which a browser never sends to a server.
LINK = re.compile(r"https?://[^/\s]+/accounts/invitation/#([\w-]+)")


@pytest.fixture(autouse=True)
def mailbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


def send_pending() -> None:
    for pending in N.objects.filter(status=N.Status.PENDING):
        notification_send(notification_id=pending.pk)


def invite(client, operation) -> Membership:
    response = client.post(f"/ops/{operation.slug}/staff/add/", NEW_MEMBER)
    assert response.status_code == 302, response.content.decode()
    return Membership.objects.get(operation=operation, user__username="erin")


def token_in_the_last_email() -> str:
    found = LINK.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def set_password(token: str, password: str = PASSWORD, again: str | None = None, visitor=None):
    visitor = visitor or StaffClient()
    data = {"token": token, "password": password, "password_again": again or password}
    return visitor.post(PAGE, data)


def test_a_new_member_gets_a_link_by_email_and_sets_their_own_password(client, operation, alice):
    client.force_login(alice)
    invite(client, operation)
    erin = User.objects.get(username="erin")
    assert not erin.has_usable_password()
    send_pending()
    assert mail.outbox[-1].to == ["erin@mfa.example"]
    token = token_in_the_last_email()

    visitor = StaffClient()
    assert visitor.get(PAGE).status_code == 200
    done = set_password(token, visitor=visitor)

    assert done.status_code == 302 and done["Location"].startswith("/accounts/two-factor/setup/")
    erin.refresh_from_db()
    assert erin.check_password(PASSWORD)
    # Logged in, but an officer sees no staff page before the second step is set up.
    assert visitor.get("/staff/")["Location"].startswith("/accounts/two-factor/setup/")


def test_the_second_step_is_enrolled_right_after_the_password(client, operation, alice):
    client.force_login(alice)
    invite(client, operation)
    send_pending()
    visitor = StaffClient()
    set_password(token_in_the_last_email(), visitor=visitor)
    visitor.get("/accounts/two-factor/setup/")
    device = User.objects.get(username="erin").totpdevice_set.get()
    codes = visitor.post("/accounts/two-factor/setup/", {"code": current_code(device)})
    assert codes.status_code == 200
    assert visitor.get(f"/ops/{operation.slug}/").status_code == 200


def test_the_link_works_once(client, operation, alice):
    client.force_login(alice)
    invite(client, operation)
    send_pending()
    token = token_in_the_last_email()
    assert set_password(token).status_code == 302
    again = set_password(token, "Another-one-2022")
    assert again.status_code == 400
    assert User.objects.get(username="erin").check_password(PASSWORD)


def test_an_expired_link_a_revoked_link_and_a_made_up_one_get_the_same_answer(
    client, operation, alice
):
    client.force_login(alice)
    membership = invite(client, operation)
    send_pending()
    token = token_in_the_last_email()

    def error(response) -> str:
        assert response.status_code == 400
        return re.search(r'id="id_token_error">([^<]*)<', response.content.decode()).group(1)

    made_up = error(set_password("not-a-real-token-at-all"))
    Invitation.objects.update(
        created_at=now() - timedelta(days=4), expires_at=now() - timedelta(seconds=1)
    )
    expired = error(set_password(token))
    Invitation.objects.update(expires_at=now() + timedelta(days=1))
    client.post(f"/ops/{operation.slug}/staff/{membership.pk}/revoke-invitation/")
    revoked = error(set_password(token))

    assert made_up == expired == revoked
    assert not User.objects.get(username="erin").has_usable_password()


def test_a_new_link_takes_the_old_one_back(client, operation, alice):
    client.force_login(alice)
    membership = invite(client, operation)
    send_pending()
    first = token_in_the_last_email()
    client.post(f"/ops/{operation.slug}/staff/{membership.pk}/invite/")
    send_pending()
    second = token_in_the_last_email()
    assert first != second
    assert set_password(first).status_code == 400
    assert set_password(second).status_code == 302


def test_a_link_not_yet_sent_is_not_sent_once_revoked(client, operation, alice):
    client.force_login(alice)
    membership = invite(client, operation)
    client.post(f"/ops/{operation.slug}/staff/{membership.pk}/revoke-invitation/")
    message = N.objects.get(kind=N.Kind.STAFF_INVITATION)
    assert message.status == N.Status.CANCELLED and message.secret == ""
    send_pending()
    assert mail.outbox == []


def test_nobody_on_staff_reads_the_token(client, operation, alice, caplog):
    client.force_login(alice)
    with caplog.at_level("DEBUG"):
        membership = invite(client, operation)
        send_pending()
        token = token_in_the_last_email()
        set_password(token)

    # Only a hash is stored; the outbox keeps the link masked, and forgets the token once sent.
    assert not Invitation.objects.filter(token_hash=token).exists()
    message = N.objects.get(kind=N.Kind.STAFF_INVITATION)
    assert CODE_MASK in message.body and token not in message.body and message.secret == ""
    pages = [
        client.get(f"/ops/{operation.slug}/staff/"),
        client.get(f"/ops/{operation.slug}/messages/"),
        client.get(f"/api/v1/operations/{operation.slug}/members/"),
        client.get(f"/api/v1/operations/{operation.slug}/members/{membership.pk}/"),
        client.get(f"/api/v1/operations/{operation.slug}/notifications/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert token.encode() not in page.content
    assert token not in caplog.text


def test_a_weak_password_is_refused_and_the_link_still_works(client, operation, alice):
    client.force_login(alice)
    invite(client, operation)
    send_pending()
    token = token_in_the_last_email()
    weak = set_password(token, "erin")
    differ = set_password(token, PASSWORD, again="something else")
    assert weak.status_code == differ.status_code == 400
    assert b"id_password_error" in weak.content
    assert b"id_password_again_error" in differ.content
    assert set_password(token).status_code == 302


def test_the_page_is_rate_limited_per_address(settings):
    settings.EVAC_INVITATION_RATE_PER_IP = "3/10m"
    visitor = StaffClient()
    answers = [set_password(f"guess-{n}", visitor=visitor).status_code for n in range(4)]
    assert answers == [400, 400, 400, 429]


def test_a_large_post_is_refused_unread(settings):
    settings.EVAC_PORTAL_MAX_POST_BYTES = 1000
    response = set_password("x" * 2000)
    assert response.status_code == 413


def test_a_new_account_needs_an_email_address(client, operation, alice):
    client.force_login(alice)
    response = client.post(f"/ops/{operation.slug}/staff/add/", {**NEW_MEMBER, "email": ""})
    assert response.status_code == 400
    assert "Shevchenko" in response.content.decode()  # the form keeps what was typed
    assert not User.objects.filter(username="erin").exists()


def test_an_account_with_a_password_gets_no_invitation(client, operation, alice, bob):
    client.force_login(alice)
    client.post(f"/ops/{operation.slug}/staff/{bob.memberships.get().pk}/invite/")
    assert not Invitation.objects.exists() and not N.objects.exists()


def test_the_api_sends_and_revokes_a_link_but_never_shows_it(client, operation, alice):
    client.force_login(alice)
    created = client.post(
        f"/api/v1/operations/{operation.slug}/members/",
        NEW_MEMBER,
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["new_account"] is True
    pk = created.json()["id"]
    again = client.post(f"/api/v1/operations/{operation.slug}/members/{pk}/invitation/")
    assert again.status_code == 201 and set(again.json()) == {"created_at", "expires_at"}
    assert Invitation.objects.filter(used_at__isnull=True, revoked_at__isnull=True).count() == 1
    gone = client.delete(f"/api/v1/operations/{operation.slug}/members/{pk}/invitation/")
    assert gone.status_code == 204
    assert not Invitation.objects.filter(revoked_at__isnull=True).exists()


def test_an_officer_sends_no_invitation_and_another_operation_finds_no_member(
    client, operation, alice, bob, dave
):
    client.force_login(alice)
    membership = invite(client, operation)
    sent = Invitation.objects.count()
    for who, expected in ((bob, 403), (dave, 404)):
        client.force_login(who)
        url = f"/api/v1/operations/{operation.slug}/members/{membership.pk}/invitation/"
        assert client.post(url).status_code == expected
        assert client.delete(url).status_code == expected
        page = client.post(f"/ops/{operation.slug}/staff/{membership.pk}/invite/")
        assert page.status_code == expected
    assert Invitation.objects.count() == sent
    assert not Invitation.objects.filter(revoked_at__isnull=False).exists()


def test_a_link_stops_working_once_the_member_is_removed_from_the_operation(
    client, operation, alice
):
    # A link sent to a mistyped address is taken back by removing the member: the stranger
    # who got it must not set the account's password.
    client.force_login(alice)
    membership = invite(client, operation)
    send_pending()
    token = token_in_the_last_email()
    removed = client.post(f"/ops/{operation.slug}/staff/{membership.pk}/remove/")
    assert removed.status_code == 302

    assert set_password(token).status_code == 400
    assert not User.objects.get(username="erin").has_usable_password()


def test_a_link_no_longer_sets_a_password_once_the_account_has_one(client, operation, alice):
    client.force_login(alice)
    invite(client, operation)
    send_pending()
    token = token_in_the_last_email()
    erin = User.objects.get(username="erin")
    erin.set_password("Set-by-an-administrator-1")
    erin.save()

    assert set_password(token).status_code == 400
    erin.refresh_from_db()
    assert erin.check_password("Set-by-an-administrator-1")


def test_inviting_a_person_to_another_operation_leaves_this_operations_link_working(
    client, operation, alice, other_operation, dave
):
    client.force_login(alice)
    invite(client, operation)
    send_pending()
    ours = token_in_the_last_email()
    elsewhere = StaffClient()
    elsewhere.force_login(dave)
    added = elsewhere.post(f"/ops/{other_operation.slug}/staff/add/", NEW_MEMBER)
    assert added.status_code == 302
    theirs = Membership.objects.get(operation=other_operation, user__username="erin")

    # Their coordinator sends a link of their own, then takes it back.
    elsewhere.post(f"/ops/{other_operation.slug}/staff/{theirs.pk}/invite/")
    elsewhere.post(f"/ops/{other_operation.slug}/staff/{theirs.pk}/revoke-invitation/")

    assert Invitation.objects.get(operation=operation).revoked_at is None
    assert set_password(ours).status_code == 302


def test_an_unsent_link_of_this_operation_is_still_sent_when_another_invites_the_person(
    client, operation, alice, other_operation, dave
):
    client.force_login(alice)
    invite(client, operation)
    elsewhere = StaffClient()
    elsewhere.force_login(dave)
    elsewhere.post(f"/ops/{other_operation.slug}/staff/add/", NEW_MEMBER)
    theirs = Membership.objects.get(operation=other_operation, user__username="erin")

    elsewhere.post(f"/ops/{other_operation.slug}/staff/{theirs.pk}/invite/")
    send_pending()

    assert len(mail.outbox) == 2
    assert set(N.objects.filter(kind=N.Kind.STAFF_INVITATION).values_list("status", flat=True)) == {
        N.Status.SENT
    }


def _link_host() -> str:
    return re.search(r"https?://([^/\s]+)/accounts/invitation/", mail.outbox[-1].body).group(1)


def test_without_a_public_address_a_forged_host_does_not_choose_where_the_link_points(
    client, operation, alice, settings
):
    settings.EVAC_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = [".mfa.example", "evac.mfa.example"]
    client.force_login(alice)

    response = client.post(
        f"/ops/{operation.slug}/staff/add/", NEW_MEMBER, HTTP_HOST="attacker.mfa.example"
    )
    send_pending()

    assert response.status_code == 302
    assert _link_host() == "evac.mfa.example"


def test_a_host_named_plainly_in_allowed_hosts_is_the_links_with_its_port(
    client, operation, alice, settings
):
    settings.EVAC_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["*", "evac.mfa.example"]
    client.force_login(alice)

    client.post(f"/ops/{operation.slug}/staff/add/", NEW_MEMBER, HTTP_HOST="evac.mfa.example:8443")
    send_pending()

    assert _link_host() == "evac.mfa.example:8443"


def test_with_no_plain_host_and_no_public_address_nobody_is_invited_and_the_page_says_why(
    client, operation, alice, settings
):
    settings.EVAC_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["*"]
    client.force_login(alice)

    page = client.post(f"/ops/{operation.slug}/staff/add/", NEW_MEMBER, HTTP_HOST="evil.example")
    api = client.post(
        f"/api/v1/operations/{operation.slug}/members/",
        NEW_MEMBER,
        content_type="application/json",
        HTTP_HOST="evil.example",
    )

    assert page.status_code == 400 and "EVAC_PUBLIC_URL" in page.content.decode()
    assert api.status_code == 409 and "EVAC_PUBLIC_URL" in api.json()["error"]["message"]
    assert not User.objects.filter(username="erin").exists()
    assert not N.objects.filter(kind=N.Kind.STAFF_INVITATION).exists()
