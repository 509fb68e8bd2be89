"""A date of birth before 1900 is refused by the model, so every form, import and API obeys."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def test_a_date_of_birth_before_1900_is_refused(operation, almaty):
    with pytest.raises(ValidationError) as refused:
        make_citizen(operation, almaty, date_of_birth=date(1899, 12, 31))

    assert refused.value.message_dict["date_of_birth"] == [
        "A date of birth before 1900 is a typing mistake."
    ]


def test_a_date_of_birth_in_1900_is_accepted(operation, almaty):
    assert make_citizen(operation, almaty, date_of_birth=date(1900, 1, 1)).pk
