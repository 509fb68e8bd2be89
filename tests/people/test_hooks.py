import pytest
from django.core.exceptions import ImproperlyConfigured

from evac.flights import decisions
from evac.notifications import addressing
from evac.people import hooks


def test_people_reach_seats_and_messages_through_what_flights_and_notifications_provide():
    assert hooks.seats() is decisions
    assert hooks.messages() is addressing


def test_a_decision_with_no_seats_provided_fails_loudly_instead_of_keeping_the_seat(monkeypatch):
    monkeypatch.setattr(hooks.seats, "_provider", None)
    with pytest.raises(ImproperlyConfigured):
        hooks.seats()


def test_a_new_phone_with_no_messages_provided_fails_loudly(monkeypatch):
    monkeypatch.setattr(hooks.messages, "_provider", None)
    with pytest.raises(ImproperlyConfigured):
        hooks.messages()
