"""The transfers list: its rows, written as fragments, are the markup the row template wrote,
and the page's queries do not grow with its transfers."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from evac.flights.list_rows import transfer_list_rows_html
from evac.flights.models import GroundTransfer
from evac.flights.transfer_selectors import operation_transfers
from tests.flights.factories import make_transfer

pytestmark = pytest.mark.django_db

AS_THE_TEMPLATE_WROTE_IT = Template(
    """{% load i18n tz %}{% for transfer in transfers %}
    <tr>
      <th scope="row"><a href="{% url 'transfers:detail' operation.slug transfer.pk %}">{{ transfer }}</a>{% if transfer.operator %}<br><span class="fl-muted">{{ transfer.operator }}</span>{% endif %}</th>
      <td>{% timezone transfer.from_city.time_zone %}{{ transfer.departs_at|date:_("j M Y H:i T") }}{% endtimezone %}</td>
      <td>{% timezone transfer.to_city.time_zone %}{{ transfer.arrives_at|date:_("j M Y H:i T") }}{% endtimezone %}</td>
      <td>{{ transfer.get_status_display }}</td>
      <td>{{ transfer.seats_booked }} / {{ transfer.seats_total }}</td>
    </tr>
  {% endfor %}"""  # noqa: E501
)


def _transfers(operation, almaty, kyiv, count: int, *, first: int = 0) -> None:
    start = datetime(2030, 1, 2, 6, tzinfo=UTC)
    for i in range(first, first + count):
        make_transfer(
            operation,
            almaty if i % 2 else kyiv,
            kyiv if i % 2 else almaty,
            departs_at=start + timedelta(hours=7 * i),
            number=str(i),
            operator='KTZ & "Sons" <rail>' if i % 3 == 0 else "",
        )


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_each_row_is_what_the_row_template_wrote(operation, almaty, kyiv, language):
    _transfers(operation, almaty, kyiv, 4)
    GroundTransfer.objects.filter(number="1").update(status=GroundTransfer.Status.CANCELLED)
    transfers = list(operation_transfers(operation).order_by("-departs_at"))

    with translation.override(language):
        templates = AS_THE_TEMPLATE_WROTE_IT.render(
            Context({"transfers": transfers, "operation": operation})
        )
        fragments = transfer_list_rows_html(transfers, operation_slug=operation.slug)

    assert fragments == templates


def test_the_list_runs_the_same_queries_for_3_and_30_transfers(
    client, operation, almaty, kyiv, carol, django_assert_max_num_queries
):
    url = reverse("transfers:list", args=[operation.slug])
    client.force_login(carol)
    _transfers(operation, almaty, kyiv, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200

    _transfers(operation, almaty, kyiv, 27, first=3)
    with django_assert_max_num_queries(len(three)):
        response = client.get(url)

    assert response.content.decode().count("<tr>") == 30 + 1  # the rows and the heading
