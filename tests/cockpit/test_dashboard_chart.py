"""Evacuations over time: the numbers by local day, and the SVG chart drawn from them."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from evac.cockpit.charts import bar_line_chart, value_axis
from evac.cockpit.dashboard import evacuated_by_day, registered_by_day, timeline
from evac.people.models import Citizen
from evac.people.time_counts import kept_for
from tests.factories import make_citizen, make_departed_flight

ALMATY_TIME = ZoneInfo("Asia/Almaty")


def _chart(**overrides) -> str:
    arguments = {
        "chart_id": "evacuations",
        "title": "Evacuations over time",
        "description": "33 evacuated by 11 January",
        "labels": ["9 Jan", "10 Jan", "11 Jan"],
        "bars": [5, 0, 2],
        "line": [0, 33, 33],
        "bar_name": "registered that day",
        "line_name": "evacuated in total",
        "empty_text": "No data yet.",
    }
    return str(bar_line_chart(**{**arguments, **overrides}))


# The chart on its own -------------------------------------------------------------------


def test_the_chart_is_an_image_named_by_its_title_and_description():
    svg = _chart()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img" aria-labelledby="evacuations-title evacuations-desc"' in svg
    assert '<title id="evacuations-title">Evacuations over time</title>' in svg
    assert '<desc id="evacuations-desc">33 evacuated by 11 January</desc>' in svg


def test_the_line_has_a_point_for_every_day_and_bars_only_where_there_is_a_value():
    svg = _chart()
    points = re.findall(r'class="chart-point"[^>]*data-value="(\d+)"', svg)
    bars = re.findall(r'class="chart-bar"[^>]*data-value="(\d+)"', svg)
    assert points == ["0", "33", "33"]
    assert bars == ["5", "2"]
    assert "<title>10 Jan: 33 evacuated in total</title>" in svg


def test_higher_values_are_drawn_higher_on_a_shared_axis():
    svg = _chart()
    heights = [float(y) for y in re.findall(r'class="chart-point" cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert heights[0] > heights[1] == heights[2]  # SVG's y grows downwards
    # The axis reaches past the largest value (33) in round steps.
    assert [int(t) for t in re.findall(r'text-anchor="end"[^>]*>(\d+)<', svg)] == [
        0,
        10,
        20,
        30,
        40,
    ]


def test_every_text_in_the_chart_is_escaped():
    svg = _chart(
        chart_id='x" onload="alert(1)',
        title="<script>alert(1)</script>",
        description="Tom & Jerry",
        labels=["<b>9 Jan</b>", "10 Jan", "11 Jan"],
        bar_name='"quoted"',
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert 'onload="alert' not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Tom &amp; Jerry" in svg
    assert "&lt;b&gt;9 Jan&lt;/b&gt;" in svg
    assert "&quot;quoted&quot;" in svg


def test_an_empty_chart_says_there_is_nothing_to_show():
    svg = _chart(labels=[], bars=[], line=[])
    assert "No data yet." in svg
    assert "chart-point" not in svg and "chart-bar" not in svg
    assert svg.endswith("</svg>")


def test_series_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        _chart(bars=[1, 2])


@pytest.mark.parametrize(
    ("largest", "top", "step"),
    [(0, 1, 1), (1, 1, 1), (7, 8, 2), (33, 40, 10), (116, 150, 50), (1000, 1000, 200)],
)
def test_the_value_axis_has_a_round_top_and_at_most_five_steps(largest, top, step):
    axis = value_axis(largest)
    assert (axis.top, axis.step) == (top, step)
    assert len(axis.ticks) <= 6


# The numbers behind it ------------------------------------------------------------------


def test_the_timeline_fills_the_days_between_and_adds_up_the_evacuated():
    days = timeline(
        registered={date(2022, 1, 5): 19, date(2022, 1, 8): 30},
        evacuated={date(2022, 1, 7): 33, date(2022, 1, 9): 12},
    )
    assert days.days == [date(2022, 1, d) for d in range(5, 10)]
    assert days.registered == [19, 0, 0, 30, 0]
    assert days.evacuated_total == [0, 0, 33, 33, 45]


def test_an_empty_timeline_has_no_days():
    assert timeline({}, {}).days == []


@pytest.mark.django_db
def test_evacuations_count_on_the_departure_airports_local_date(operation, almaty, nqz, kbp):
    # 01:30 on 10 January in Nur-Sultan is still 9 January in UTC.
    departs = datetime(2022, 1, 10, 1, 30, tzinfo=ALMATY_TIME)
    boarded = [make_citizen(operation, almaty) for _ in range(3)]
    make_departed_flight(
        operation,
        nqz,
        kbp,
        boarded=boarded,
        no_shows=[make_citizen(operation, almaty)],
        departs_at=departs,
    )
    assert evacuated_by_day(operation) == {date(2022, 1, 10): 3}


@pytest.mark.django_db
def test_registrations_count_on_the_local_date(operation, almaty):
    late_evening_utc = datetime(2022, 1, 5, 20, 0, tzinfo=UTC)  # 02:00 on 6 January in Almaty
    for _ in range(2):
        citizen = make_citizen(operation, almaty)
        with kept_for(citizen.pk):  # a write behind saves' back says so, as the services do
            Citizen.objects.filter(pk=citizen.pk).update(registered_at=late_evening_utc)
    assert registered_by_day(operation.pk, zone=ALMATY_TIME) == {date(2022, 1, 6): 2}


# On the page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_chart_and_its_numbers_in_a_table(client, carol, operation, almaty):
    citizen = make_citizen(operation, almaty)
    with kept_for(citizen.pk):
        Citizen.objects.filter(pk=citizen.pk).update(
            registered_at=datetime(2022, 1, 6, 9, 0, tzinfo=UTC)
        )
    client.force_login(carol)
    html = client.get(reverse("operations:dashboard", args=[operation.slug])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="evacuations-chart"' in html
    assert "<summary>The numbers behind the chart</summary>" in html
    assert '<time datetime="2022-01-06">Thu 6 Jan 2022</time>' in html


@pytest.mark.django_db
def test_an_operation_with_nobody_yet_shows_an_empty_chart_and_no_table(client, carol, operation):
    client.force_login(carol)
    html = client.get(reverse("operations:dashboard", args=[operation.slug])).content.decode()
    assert "No registrations or evacuations yet." in html
    assert "The numbers behind the chart" not in html
