import pytest
from django.core.exceptions import ImproperlyConfigured

from evac.flights import events
from evac.notifications import travel


def test_the_message_scheduler_hears_of_every_seat_and_flight_change():
    assert events.listener() is travel


def test_a_change_with_nobody_listening_fails_loudly_instead_of_going_unannounced(monkeypatch):
    monkeypatch.setattr(events.listener, "_provider", None)
    with pytest.raises(ImproperlyConfigured):
        events.flight_status_changed(flight=None)
