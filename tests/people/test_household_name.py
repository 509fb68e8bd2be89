"""A household is named by its head, or plainly when it has none; either way as a str, so a
template can show it (a lazy translation from __str__ is refused by Python)."""

import pytest

from evac.people.models import Household
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def test_a_household_without_a_head_is_named_as_a_str(operation):
    name = str(Household.objects.create(operation=operation))
    assert type(name) is str and name == "Household"


def test_a_household_is_named_by_its_head(operation, almaty):
    head = make_citizen(operation, almaty, surname="Koval", given_names="Olena")
    assert str(Household.objects.create(operation=operation, head=head)) == (
        "Household of KOVAL Olena"
    )
