"""One wording for the time to a departure, on the dashboard and on the flight pages alike."""

from datetime import UTC, datetime, timedelta

from evac.core.timefmt import time_to_departure

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_a_departure_ahead_is_given_in_its_two_largest_units():
    departs = NOW + timedelta(days=3, hours=4, minutes=20)
    assert time_to_departure(departs, NOW) == "in 3\xa0days, 4\xa0hours"


def test_a_departure_time_that_has_come_is_said_to_have_passed():
    assert time_to_departure(NOW - timedelta(hours=2), NOW) == (
        "departure time passed 2\xa0hours ago"
    )
    assert time_to_departure(NOW, NOW) == "departure time passed 0\xa0minutes ago"


def test_a_long_passed_departure_is_counted_in_years_and_months():
    departs = datetime(2022, 1, 13, 4, 40, tzinfo=UTC)
    assert time_to_departure(departs, NOW) == "departure time passed 4\xa0years, 10\xa0months ago"
