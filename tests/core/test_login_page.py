"""The staff log-in page: labelled, keyboard-ready, and kind when a password is wrong."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


@pytest.fixture
def staff_member(django_user_model):
    return django_user_model.objects.create_user("olha", password="correct horse battery")


def test_the_fields_are_labelled_and_the_username_has_the_focus(client):
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert 'autofocus autocapitalize="none" autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html


def test_a_wrong_password_keeps_the_username_and_says_what_went_wrong(client, staff_member):
    page = client.post(LOGIN, {"username": "olha", "password": "wrong password"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="alert"' in html
    assert "Please enter a correct username and password." in html
    assert 'value="olha"' in html
    assert "wrong password" not in html


def test_a_missing_field_is_named_next_to_it(client):
    html = client.post(LOGIN, {"username": "olha", "password": ""}).content.decode()
    assert '<p class="error" id="id_password_error">This field is required.</p>' in html
    assert 'aria-invalid="true"' in html


def test_logging_in_leads_to_the_page_asked_for(client, staff_member):
    page = client.post(
        LOGIN, {"username": "olha", "password": "correct horse battery", "next": "/staff/"}
    )
    assert page.status_code == 302 and page["Location"] == "/staff/"


def test_a_visitor_sent_here_from_a_staff_page_is_told_why(client):
    html = client.get(f"{LOGIN}?next=/staff/").content.decode()
    assert "Please log in to see this page." in html
    assert '<input type="hidden" name="next" value="/staff/">' in html
