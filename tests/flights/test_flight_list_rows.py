"""The flight list's rows, written as fragments, are the markup the per-row templates wrote.

The reference is the list's row as it was, kept here: {% url %}, the route, status and seats
templates, the date filter in the departure city's zone, the time-to-departure filter and
the flown counts. Any difference in text, link, escaping or accessibility markup fails.
"""

from datetime import timedelta

import pytest
from django.db.models import F
from django.template import Context, Template
from django.utils import translation

from evac.core import clock
from evac.flights.list_rows import flight_list_rows_html
from evac.flights.models import Flight
from evac.flights.selectors import flights_upcoming_and_past
from tests.factories import make_flight

pytestmark = pytest.mark.django_db

AS_THE_TEMPLATE_WROTE_IT = Template(
    """{% load i18n tz flight_tags %}{% for flight in flights %}
    <tr>
      <th scope="row"><a href="{% url 'flights:manifest' operation.slug flight.pk %}">{{ flight.number }}</a><br><span class="fl-muted">{{ flight.carrier }}</span></th>
      <td>{% include "flights/_route.html" %}</td>
      <td>{% timezone flight.departure_airport.zone %}<time datetime="{{ flight.departs_at|date:'c' }}">{{ flight.departs_at|date:_("j M Y H:i T") }}</time>{% endtimezone %}</td>
      <td>{{ flight|time_to_departure }}</td>
      <td>{% include "flights/_status.html" %}</td>
      <td>{% if flight.status == "departed" or flight.status == "landed" %}{% blocktranslate count n=flight.flown %}{{ n }} person flew{% plural %}{{ n }} people flew{% endblocktranslate %}{% if flight.flown != flight.seats_booked %} <span class="fl-muted">{% blocktranslate with booked=flight.seats_booked %}({{ booked }} booked){% endblocktranslate %}</span>{% endif %}{% else %}{% include "flights/_seats.html" %}{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501
)


@pytest.fixture
def flights(operation, nqz, kbp, almaty):
    """One of each kind of row: open with seats booked, late, cancelled, flown by all who
    booked and by fewer, and names that need escaping."""
    moment = clock.now()
    soon = make_flight(operation, nqz, kbp, departs_at=moment + timedelta(days=2, hours=3))
    Flight.objects.filter(pk=soon.pk).update(seats_booked=7, carrier='Air "A&B" <Charter>')
    late = make_flight(operation, kbp, nqz, departs_at=moment - timedelta(hours=2))
    cancelled = make_flight(operation, nqz, kbp, departs_at=moment + timedelta(days=40))
    landed = make_flight(operation, nqz, kbp, departs_at=moment - timedelta(days=3))
    all_flew = make_flight(operation, nqz, kbp, departs_at=moment - timedelta(days=4))
    Flight.objects.filter(pk=cancelled.pk).update(status=Flight.Status.CANCELLED)
    Flight.objects.filter(pk__in=[landed.pk, all_flew.pk]).update(status=Flight.Status.LANDED)
    Flight.objects.filter(pk=landed.pk).update(seats_booked=3)
    Flight.objects.filter(pk=late.pk).update(seats_booked=F("seats_total"))
    nqz.name = "Astana <Nursultan> & 'Nazarbayev'"
    nqz.save()
    return flights_upcoming_and_past(operation)


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
@pytest.mark.parametrize("when", ["upcoming", "past"])
def test_each_row_is_what_the_row_templates_wrote(operation, flights, language, when):
    listed = list(flights[0] if when == "upcoming" else flights[1])
    assert len(listed) >= 2

    with translation.override(language), clock.pinned(clock.now()):
        templates = AS_THE_TEMPLATE_WROTE_IT.render(
            Context({"flights": listed, "operation": operation})
        )
        fragments = flight_list_rows_html(listed, operation_slug=operation.slug, moment=clock.now())

    assert fragments == templates
