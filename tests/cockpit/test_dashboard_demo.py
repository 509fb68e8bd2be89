"""The demo scenario on the dashboard: what a coordinator sees after `make run`."""

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from evac.demo.scenario import load_demo
from evac.places.models import City
from tests.pages import links_to

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The scenario loaded once for these read-only tests, and rolled back after them."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        yield load_demo("demo-test-password")
        transaction.set_rollback(True)


@pytest.fixture
def demo_page(client, demo):
    client.force_login(User.objects.get(username="coordinator"))
    return demo, client.get(reverse("operations:dashboard", args=[demo.operation.slug]))


def test_almaty_shows_116_people_waiting(demo_page):
    demo, page = demo_page
    almaty = City.objects.get(name="Almaty", country="KZ")
    citizens = reverse("people:list", args=[demo.operation.slug])
    waiting_in_almaty = f"{citizens}?status=waiting&city={almaty.pk}"
    links = links_to(page, waiting_in_almaty)
    assert "116 waiting in Almaty" in links
    # The map: Almaty's circle, hatched and labelled as needing a transfer, opens the list.
    assert any("Almaty: 116 people waiting, needs a transfer" in text for text in links)


def test_the_13_and_16_january_flights_are_hours_and_days_ahead_in_the_replay(demo_page):
    _, page = demo_page
    flights = page.context["dashboard"].flights_ahead
    assert [f.flight.number for f in flights] == ["PS 9004", "PS 9006"]
    assert "departure time passed" not in page.content.decode()
    assert "replayed in the present" in page.content.decode()


def test_the_chart_shows_the_33_evacuated_on_the_replays_9_january(demo_page):
    demo, page = demo_page
    timeline = page.context["dashboard"].timeline
    evacuated = dict(zip(timeline.days, timeline.evacuated_total, strict=True))
    assert evacuated[timeline.days[0]] == 0
    first_day = min(day for day, total in evacuated.items() if total)
    assert evacuated[first_day] == 33
    assert (first_day - demo.replay.day_one).days in (3, 4, 5)
