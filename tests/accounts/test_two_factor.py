"""The second step at login: required for coordinators and officers on every staff URL,
set up with an authenticator app, passed with its code or a single-use backup code."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from evac.accounts.models import BackupCode, BackupCodeDevice
from evac.accounts.services import backup_codes_renew
from evac.operations.models import Role
from tests import factories
from tests.logins import StaffClient, authenticator_for, current_code, pass_second_factor
from tests.url_patterns import shapes, url_of, url_patterns

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"

# Reachable before the second step: logging in and out, the second step's own pages, the
# language switch, the health check and the public portal.
OPEN = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "portal_index",
    "two_factor:setup",
    "two_factor:setup_qr",
    "two_factor:verify",
    "api:schema",
    "api:docs",
    # A new staff member's set-password page, behind its own token (test_invitations.py).
    "invitation",
}


def let_the_wait_pass(device) -> None:
    """After a wrong code a device checks no other for a while (1 s, then 2, 4, …): let that
    time pass by moving the failure back, rather than sleeping."""
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(minutes=5)
    device.save()


# The middleware answers before the view runs, so the rows needn't exist: any value of the
# right shape reaches it.
def guarded_urls(slug: str) -> list[str]:
    urls = []
    for pattern in url_patterns():
        if not pattern.name or pattern.regex or pattern.name in OPEN:
            continue
        if pattern.name.startswith("portal:"):
            continue
        urls.append(url_of(pattern, shapes(operation_slug=slug)))
    return urls


def test_the_walk_covers_staff_pages_the_api_and_the_admin(operation):
    urls = guarded_urls(operation.slug)
    assert sum(u.startswith("/ops/") for u in urls) >= 20
    assert sum(u.startswith("/api/v1/") for u in urls) >= 10
    assert "/admin/" in urls and "/staff/" in urls


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OFFICER])
def test_every_staff_url_sends_a_password_only_session_to_set_up_the_second_step(
    client, operation, role
):
    user = factories.make_member("erin", operation, role)
    client.force_login_password_only(user)
    for url in guarded_urls(operation.slug):
        for response in (client.get(url), client.post(url, {"confirm": "1"})):
            if url.startswith("/api/v1/"):
                assert response.status_code == 403, url
                assert response.json()["error"]["code"] == "second_factor_required", url
            else:
                assert response.status_code == 302, url
                assert response["Location"].startswith(SETUP + "?next="), url


def test_with_an_authenticator_set_up_it_asks_for_its_code(client, operation, alice):
    authenticator_for(alice)
    client.force_login_password_only(alice)
    dashboard = f"/ops/{operation.slug}/"

    response = client.get(dashboard)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fops%2F{operation.slug}%2F"
    # …and the setup page can't be used to swap in another phone without it.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.get(reverse("two_factor:setup_qr")).status_code == 404


def test_a_superuser_needs_it_for_the_admin(client):
    admin = factories.User.objects.create_superuser("root", password="x")
    client.force_login_password_only(admin)
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_a_viewer_may_go_without_unless_the_setting_asks(client, operation, carol, settings):
    client.force_login_password_only(carol)
    assert client.get(f"/ops/{operation.slug}/").status_code == 200

    settings.EVAC_TWO_FACTOR_FOR_VIEWERS = True
    assert client.get(f"/ops/{operation.slug}/")["Location"].startswith(SETUP)


def test_a_viewer_who_turned_it_on_is_asked_for_it(client, operation, carol):
    authenticator_for(carol)
    client.force_login_password_only(carol)
    assert client.get(f"/ops/{operation.slug}/")["Location"].startswith(VERIFY)


def test_a_token_is_not_a_session_and_needs_no_second_step(operation, alice):
    from tests.api.client import op_url, token_client

    assert token_client(alice).get(op_url(operation, "flights/")).status_code == 200


def test_setting_up_an_authenticator_from_scratch(client, operation, alice):
    client.force_login_password_only(alice)
    dashboard = f"/ops/{operation.slug}/"

    page = client.get(f"{SETUP}?next={dashboard}")
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    shown_key = "".join(page.context["secret_groups"])
    assert shown_key in device.config_url
    qr = client.get(reverse("two_factor:setup_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    wrong = client.post(SETUP, {"code": "000000", "next": dashboard})
    assert wrong.status_code == 200 and "match" in wrong.context["form"].errors["code"][0]
    assert client.get(dashboard).status_code == 302
    let_the_wait_pass(device)

    done = client.post(SETUP, {"code": current_code(device), "next": dashboard})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(dashboard).status_code == 200
    # Only hashes are kept.
    stored = set(BackupCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10 and not {c.replace("-", "") for c in codes} & stored


def test_a_reload_of_the_setup_page_keeps_the_key_the_phone_scanned(client, alice):
    client.force_login_password_only(alice)
    first = client.get(SETUP).context["secret_groups"]
    assert client.get(SETUP).context["secret_groups"] == first
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_moving_to_a_new_phone_replaces_the_old_authenticator(client, alice):
    old = authenticator_for(alice)
    client.force_login(alice)
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=alice, confirmed=False)

    client.post(SETUP, {"code": current_code(new)})

    assert list(TOTPDevice.objects.filter(user=alice)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_the_code_passes_the_second_step_and_goes_where_the_person_was_going(
    client, operation, alice
):
    device = authenticator_for(alice)
    client.force_login_password_only(alice)
    key_before = client.session.session_key
    dashboard = f"/ops/{operation.slug}/"

    wrong = client.post(VERIFY, {"code": "123456", "next": dashboard})
    assert wrong.status_code == 200 and "didn't work" in wrong.context["form"].errors["code"][0]
    let_the_wait_pass(device)

    right = client.post(VERIFY, {"code": current_code(device), "next": dashboard})

    assert right.status_code == 302 and right["Location"] == dashboard
    assert client.get(dashboard).status_code == 200
    # A new session key at the step up.
    assert client.session.session_key != key_before


def test_the_same_code_cannot_be_used_twice(operation, alice):
    device = authenticator_for(alice)
    code = current_code(device)
    first, second = StaffClient(), StaffClient()
    for c in (first, second):
        c.force_login_password_only(alice)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 200


def test_it_never_sends_a_person_to_another_site(client, alice):
    device = authenticator_for(alice)
    client.force_login_password_only(alice)
    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/staff/"


def test_a_backup_code_works_once(client, operation, alice):
    authenticator_for(alice)
    codes = backup_codes_renew(alice)
    client.force_login_password_only(alice)

    # As people type them: lower case, spaces instead of the dash.
    typed = codes[0].lower().replace("-", " ")
    response = client.post(VERIFY, {"code": typed}, follow=True)

    assert response.status_code == 200
    assert "9 left" in response.content.decode()
    again = StaffClient()
    again.force_login_password_only(alice)
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 200
    let_the_wait_pass(BackupCodeDevice.objects.get(user=alice))
    assert again.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_new_backup_codes_retire_the_old_ones(client, alice):
    old = backup_codes_renew(alice)
    client.force_login(alice)

    response = client.post(reverse("two_factor:security"))

    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    other = StaffClient()
    other.force_login_password_only(alice)
    assert other.post(VERIFY, {"code": old[0]}).status_code == 200
    let_the_wait_pass(BackupCodeDevice.objects.get(user=alice))
    assert other.post(VERIFY, {"code": new[0]}).status_code == 302


def test_new_backup_codes_take_a_session_past_the_second_step(client, alice):
    authenticator_for(alice)
    codes_before = backup_codes_renew(alice)
    client.force_login_password_only(alice)
    response = client.post(reverse("two_factor:security"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert BackupCodeDevice.objects.get(user=alice).codes.count() == len(codes_before)


def test_guessing_slows_down(client, alice):
    device = authenticator_for(alice)
    client.force_login_password_only(alice)
    client.post(VERIFY, {"code": "111111"})

    # Straight after a wrong code, even the right one waits.
    response = client.post(VERIFY, {"code": current_code(device)})

    assert response.status_code == 200
    assert "Too many wrong codes" in response.context["form"].errors["code"][0]
    let_the_wait_pass(device)
    assert client.post(VERIFY, {"code": current_code(device)}).status_code == 302


def test_the_session_api_asks_for_the_second_step_too(operation, alice):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(alice)
    response = api.get(f"/api/v1/operations/{operation.slug}/flights/")
    assert response.status_code == 403
    pass_second_factor(api, alice)
    assert api.get(f"/api/v1/operations/{operation.slug}/flights/").status_code == 200


def test_a_coordinator_resets_a_member_s_lost_second_step(client, operation, alice, bob, caplog):
    authenticator_for(bob)
    backup_codes_renew(bob)
    bobs_session = StaffClient()
    bobs_session.force_login(bob)
    client.force_login(alice)
    staff_page = reverse("staff:list", kwargs={"op": operation.slug})
    row = next(m for m in client.get(staff_page).context["staff"] if m.membership.user == bob)
    assert row.has_two_factor

    url = reverse(
        "staff:reset_two_factor", kwargs={"op": operation.slug, "membership_id": row.membership.pk}
    )
    assert client.post(url).status_code == 302

    assert f"alice reset the second step of bob (operation {operation.slug})" in caplog.messages
    assert not TOTPDevice.objects.filter(user=bob).exists()
    assert not BackupCodeDevice.objects.filter(user=bob).exists()
    # Bob's open session no longer counts as past the second step: he sets up a new one.
    assert bobs_session.get(f"/ops/{operation.slug}/")["Location"].startswith(SETUP)


def test_only_a_coordinator_of_the_operation_resets_it(client, operation, alice, bob, carol, dave):
    device = authenticator_for(alice)
    url = reverse(
        "staff:reset_two_factor",
        kwargs={"op": operation.slug, "membership_id": alice.memberships.get().pk},
    )
    for user, status in ((bob, 403), (carol, 403), (dave, 404)):
        client.force_login(user)
        assert client.post(url).status_code == status
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_administrator_s_second_step_is_not_reset_by_a_coordinator(client, operation, alice):
    admin = factories.User.objects.create_superuser("root", password="x")
    membership = factories.Membership.objects.create(
        user=admin, operation=operation, role=Role.COORDINATOR
    )
    device = authenticator_for(admin)
    client.force_login(alice)
    url = reverse(
        "staff:reset_two_factor", kwargs={"op": operation.slug, "membership_id": membership.pk}
    )
    response = client.post(url)
    assert response.status_code == 302  # back to the staff page, with the refusal said
    assert "administrator" in str(next(iter(get_messages(response.wsgi_request))))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
