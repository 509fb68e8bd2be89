"""Who may read what a message says: every kind, as every role, on pages, API and admin.

One-time codes are never readable by anyone on staff: the outbox keeps the text with the
code masked, and the code itself only until the provider has the message. For the other
kinds, the rule is one table (evac/notifications/privacy.py): viewers see that a message
went, its kind and status and a masked recipient, and read only what went to many people
alike (broadcasts) and the staff digest; coordinators and officers read everything else.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from evac.core.clock import now
from evac.notifications.delivery import notification_send
from evac.notifications.models import Notification
from evac.notifications.privacy import BODY_READERS, may_read_body
from evac.operations.access import ROLE_PERMISSIONS
from evac.operations.models import Role
from evac.portal.codes import one_time_code_issue
from tests.api.client import op_url, session_client
from tests.factories import make_citizen
from tests.logins import pass_second_factor

pytestmark = pytest.mark.django_db

PHONE = "+77011234567"
SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")


@pytest.fixture
def olena(operation, almaty):
    return make_citizen(operation, almaty, phone=PHONE, preferred_language="en")


@pytest.fixture
def sms_file(settings, tmp_path):
    from evac.notifications import sms

    settings.EVAC_SMS_BACKEND = "evac.notifications.sms.FileSmsBackend"
    settings.EVAC_SMS_FILE = tmp_path / "sms.log"
    sms._backend.cache_clear()
    yield sms.FileSmsBackend(settings.EVAC_SMS_FILE)
    sms._backend.cache_clear()


def one_of_each_kind(operation, citizen, alice) -> dict[str, Notification]:
    made = {}
    for kind in Notification.Kind:
        to_staff = kind == Notification.Kind.STAFF_DIGEST
        made[kind] = Notification.objects.create(
            operation=operation,
            citizen=None if to_staff else citizen,
            staff_user=alice if to_staff else None,
            kind=kind,
            channel=Notification.Channel.SMS,
            language="en",
            body=f"TEXT-OF-{kind}",
            to_address=PHONE,
            due_at=now() + timedelta(days=1),
            idempotency_key=f"test:{kind}",
        )
    return made


# One-time codes ---------------------------------------------------------------------------


def test_a_one_time_code_is_kept_masked_and_only_the_provider_gets_it(olena, sms_file):
    one_time_code_issue(citizen=olena, channel="sms")
    message = Notification.objects.get(kind=Notification.Kind.ONE_TIME_CODE)
    assert not SIX_DIGITS.search(message.body + message.subject)
    assert "••••••" in message.body

    notification_send(notification_id=message.pk)

    sent = sms_file.read()[-1]["text"]
    code = SIX_DIGITS.search(sent).group(0)
    message.refresh_from_db()
    assert message.status == Notification.Status.SENT
    assert code not in message.body
    # Nothing in the row holds the code once the provider has it.
    for field in Notification._meta.concrete_fields:
        assert code not in str(getattr(message, field.attname)), field.name


def test_a_code_message_that_fails_for_good_forgets_the_code(olena, settings):
    settings.EVAC_SMS_BACKEND = "tests.notifications.test_who_reads_messages.RefusingSms"
    from evac.notifications import sms

    sms._backend.cache_clear()
    one_time_code_issue(citizen=olena, channel="sms")
    message = Notification.objects.get(kind=Notification.Kind.ONE_TIME_CODE)
    notification_send(notification_id=message.pk)
    message.refresh_from_db()
    sms._backend.cache_clear()
    assert message.status == Notification.Status.FAILED
    assert message.secret == ""
    assert not message.can_retry  # a code is asked for again on the portal


class RefusingSms:
    def send(self, *, to: str, text: str, reference: str) -> str:
        from evac.notifications.sms import PermanentSendError

        raise PermanentSendError("number refused")

    def find_sent(self, **kwargs):
        return None


def test_no_staff_role_reads_a_code_in_the_api(
    client, operation, olena, alice, bob, carol, sms_file
):
    one_time_code_issue(citizen=olena, channel="sms")
    for message in Notification.objects.all():
        notification_send(notification_id=message.pk)
    code = SIX_DIGITS.search(sms_file.read()[-1]["text"]).group(0)
    for user in (alice, bob, carol):
        answer = session_client(user).get(op_url(operation, "notifications/"))
        assert answer.status_code == 200
        assert code not in answer.content.decode(), user.username


def test_a_superuser_reads_no_code_in_the_admin(client, operation, olena, sms_file):
    root = User.objects.create_superuser("root", "root@example.org", "x")
    one_time_code_issue(citizen=olena, channel="sms")
    message = Notification.objects.get(kind=Notification.Kind.ONE_TIME_CODE)
    pending_code_page = _admin_pages(client, root, message)
    notification_send(notification_id=message.pk)
    code = SIX_DIGITS.search(sms_file.read()[-1]["text"]).group(0)
    assert code not in pending_code_page
    assert code not in _admin_pages(client, root, message)


def _admin_pages(client, root, message) -> str:
    client.force_login(root)
    pass_second_factor(client, root)
    pages = [
        client.get(reverse("admin:notifications_notification_changelist")),
        client.get(reverse("admin:notifications_notification_change", args=[message.pk])),
    ]
    assert all(page.status_code == 200 for page in pages)
    return "".join(page.content.decode() for page in pages)


# Every kind, every role -------------------------------------------------------------------


def test_every_kind_has_a_row_in_the_table():
    assert set(BODY_READERS) == set(Notification.Kind)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OFFICER, Role.VIEWER])
def test_every_kind_as_every_role_in_the_api(operation, olena, alice, bob, carol, role):
    made = one_of_each_kind(operation, olena, alice)
    user = {Role.COORDINATOR: alice, Role.OFFICER: bob, Role.VIEWER: carol}[role]
    answer = session_client(user).get(op_url(operation, "notifications/?page_size=100"))
    rows = {row["id"]: row for row in answer.json()["results"]}
    for kind, message in made.items():
        row = rows[message.pk]
        if may_read_body(kind, ROLE_PERMISSIONS[role]):
            assert row["body"] == f"TEXT-OF-{kind}", (role, kind)
        else:
            assert row["body"] is None and row["subject"] is None, (role, kind)
        if role == Role.VIEWER:
            assert row["to_address"] == "…67", kind
        else:
            assert row["to_address"] == PHONE


def test_viewers_read_only_what_went_to_many_alike():
    viewer = ROLE_PERMISSIONS[Role.VIEWER]
    readable = {kind for kind in Notification.Kind if may_read_body(kind, viewer)}
    assert readable == {Notification.Kind.BROADCAST, Notification.Kind.STAFF_DIGEST}
    for role in (Role.COORDINATOR, Role.OFFICER):
        assert all(may_read_body(kind, ROLE_PERMISSIONS[role]) for kind in Notification.Kind)


def test_another_operations_member_sees_no_message(operation, olena, alice, dave):
    one_of_each_kind(operation, olena, alice)
    assert session_client(dave).get(op_url(operation, "notifications/")).status_code == 404
    outbox = reverse("notifications:outbox", args=[operation.slug])
    assert session_client(dave).get(outbox).status_code == 404


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OFFICER, Role.VIEWER])
def test_every_kind_as_every_role_on_the_pages(client, operation, olena, alice, bob, carol, role):
    made = one_of_each_kind(operation, olena, alice)
    user = {Role.COORDINATOR: alice, Role.OFFICER: bob, Role.VIEWER: carol}[role]
    client.force_login(user)
    pages = [
        client.get(reverse("notifications:outbox", args=[operation.slug])),
        client.get(reverse("people:detail", args=[operation.slug, olena.reference_code])),
    ]
    text = "".join(page.content.decode() for page in pages)
    for kind in made:
        if not may_read_body(kind, ROLE_PERMISSIONS[role]):
            assert f"TEXT-OF-{kind}" not in text, (role, kind)
    if role == Role.VIEWER:
        assert PHONE not in pages[0].content.decode()


def test_why_a_message_failed_is_read_whole_only_by_roles_that_read_messages(
    client, operation, olena, alice, carol
):
    made = one_of_each_kind(operation, olena, alice)
    failed = made[Notification.Kind.BOOKING_CONFIRMATION]
    why = "PermanentSendError: Twilio answered 400, error 21211"
    Notification.objects.filter(pk=failed.pk).update(
        status=Notification.Status.FAILED, last_error=why
    )
    rows = {}
    for user in (alice, carol):
        answer = session_client(user).get(op_url(operation, "notifications/?page_size=100"))
        rows[user] = {row["id"]: row for row in answer.json()["results"]}[failed.pk]
    assert rows[alice]["last_error"] == why
    assert rows[carol]["last_error"] == "PermanentSendError"

    client.force_login(carol)
    page = client.get(reverse("notifications:outbox", args=[operation.slug])).content.decode()
    assert "PermanentSendError" in page and "21211" not in page
