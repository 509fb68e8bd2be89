"""What a status lookup costs, fixed: the queries of the lookup and of its status page, and
the Redis round trips of its rate limits. In a crisis these pages are most of the traffic, and
each query or round trip is paid by every citizen: a test fails if one is added.

And what the status page shows follows the person's booking at once: nothing on it is kept
from an earlier read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.core.actor import EVAC
from evac.core.cache import cache_forget_failure
from evac.flights.journeys import journey_book
from evac.flights.services import booking_cancel, booking_create
from evac.people.models import Citizen
from tests.core.private_redis import private_redis
from tests.flights.factories import bulk_waiting, make_transfer

pytestmark = pytest.mark.django_db


def _status(operation) -> str:
    return reverse("portal:status", args=[operation.slug])


def _look_up(client, operation, person: Citizen):
    return client.post(
        _status(operation),
        {"reference": person.reference, "date_of_birth": person.date_of_birth.isoformat()},
        follow=True,
    )


def test_a_lookup_takes_three_queries_and_a_reload_two(
    client, operation, almaty, olena, django_assert_num_queries
):
    bulk_waiting(operation, almaty, 5)  # registered after Olena: behind her
    Citizen.objects.filter(pk=olena.pk).update(registered_at=olena.registered_at.replace(year=2030))
    client.get(_status(operation))  # the operation is read once and kept (public_operation)

    # The person by their code; then, for the page, the person with what else to read, and
    # the count of the people ahead.
    with django_assert_num_queries(3):
        page = _look_up(client, operation, olena)
    assert "5 people are ahead of you" in page.content.decode()

    with django_assert_num_queries(2):
        page = client.get(_status(operation))
    assert page.context["ahead"] == 5


def test_the_people_ahead_are_counted_exactly_up_to_the_bound_and_said_beyond_it(
    client, operation, almaty, olena, settings, django_assert_num_queries
):
    settings.EVAC_PORTAL_AHEAD_COUNTED_UP_TO = 4
    Citizen.objects.filter(pk=olena.pk).update(registered_at=olena.registered_at.replace(year=2030))
    bulk_waiting(operation, almaty, 4)  # registered before Olena's new date: ahead of her
    client.get(_status(operation))

    with django_assert_num_queries(3):
        page = _look_up(client, operation, olena)
    assert "4 people are ahead of you" in page.content.decode()
    assert page.context["ahead"] == 4 and page.context["ahead_more_than"] is None

    bulk_waiting(operation, almaty, 1)  # a fifth unit ahead: past the bound
    with django_assert_num_queries(2):
        page = client.get(_status(operation))
    text = page.content.decode()
    assert "More than 4 people are ahead of you" in text
    assert page.context["ahead"] is None and page.context["ahead_more_than"] == 4
    with django_assert_num_queries(3):
        assert "More than 4 people" in _look_up(client, operation, olena).content.decode()

    for language, said in (("uk", "понад 4 особи."), ("ru", "более 4 человек.")):
        page = client.get(_status(operation), HTTP_ACCEPT_LANGUAGE=language)
        assert said in page.content.decode()


def test_a_booked_persons_page_reads_the_seat_once_for_the_flight_and_the_confirmation(
    client, operation, almaty, nur_sultan, olena, flight, django_assert_num_queries
):
    train = make_transfer(operation, almaty, nur_sultan)
    journey_book(flight=flight, transfers=[train], citizen=olena, by=EVAC)
    _look_up(client, operation, olena)

    # The person; the booking with its flight; the train. No waiting-list count, no offer.
    with django_assert_num_queries(3):
        page = client.get(_status(operation))

    text = page.content.decode()
    assert f"Your flight {flight.number}" in text and "Almaty → Nur-Sultan" in text
    assert "do=confirm" in text
    with CaptureQueriesContext(connection) as reads:
        client.get(_status(operation))
    bookings = [
        q for q in reads.captured_queries if q["sql"].startswith('SELECT "flights_booking"')
    ]
    assert len(bookings) == 1


def test_the_page_follows_a_booking_and_its_cancellation_at_once(
    client, operation, almaty, olena, flight
):
    _look_up(client, operation, olena)
    assert "people are ahead of you" in client.get(_status(operation)).content.decode()

    booking = booking_create(flight=flight, citizen=olena, by=EVAC)
    booked = client.get(_status(operation)).content.decode()
    assert f"Your flight {flight.number}" in booked
    assert "ahead of you" not in booked

    booking_cancel(booking=booking, by=EVAC)
    cancelled = client.get(_status(operation)).content.decode()
    assert f"Your flight {flight.number}" not in cancelled
    assert "do=confirm" not in cancelled


@pytest.fixture
def redis_commands(tmp_path, settings):
    """The cache on a Redis of the test's own, and a count of the commands it received."""
    with private_redis(tmp_path) as redis:
        settings.CACHES = {
            "default": {"BACKEND": "evac.core.cache.BoundedRedisCache", "LOCATION": redis.url}
        }
        cache_forget_failure()
        import redis as redis_client

        server = redis_client.Redis.from_url(redis.url)

        def commands() -> dict[str, int]:
            stats = server.info("commandstats")
            return {name.removeprefix("cmdstat_"): s["calls"] for name, s in stats.items()}

        yield commands
        cache_forget_failure()


def test_a_lookup_counts_its_two_limits_in_four_redis_round_trips(
    client, operation, olena, redis_commands
):
    _look_up(client, operation, olena)  # the limits' keys for this window now exist
    before = redis_commands()

    _look_up(client, operation, olena)

    after = redis_commands()
    sent = {name: after[name] - before.get(name, 0) for name in after}
    sent["info"] -= 1  # the count's own
    sent = {name: n for name, n in sent.items() if n}
    # Per limit (the address's, the code's): SET NX for a new window, then one script that
    # increments only an existing key (Redis counts the script's own EXISTS and INCRBY too).
    # Django's own incr sent EXISTS and INCRBY apart: three round trips a limit, not two.
    assert sent == {"set": 2, "eval": 2, "exists": 2, "incrby": 2}


def test_counting_a_missing_key_still_fails_as_django_says(redis_commands):
    from django.core.cache import cache

    with pytest.raises(ValueError):
        cache.incr("never-set")
    cache.set("counted", 1)
    assert cache.incr("counted") == 2
    assert cache.incr("counted", 5) == 7
    assert cache.get("counted") == 7
