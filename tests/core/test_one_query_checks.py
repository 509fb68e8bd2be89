"""A person's check constraints are validated in one query, with Django's own errors."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from evac.people.models import Citizen

pytestmark = pytest.mark.django_db

BREAKS = {
    "nothing": {},
    "status": {"status": "lost"},
    "sex": {"sex": "Q"},
    "document": {"document_type": "none", "document_number": "FE123456"},
    "expiry before birth": {"document_expires_on": date(1980, 1, 1)},
    "two at once": {"sex": "Q", "wheelchair": "FLY"},
}


def person(operation, almaty, **fields) -> Citizen:
    typed = {
        "operation": operation,
        "current_city": almaty,
        "surname": "KOVAL",
        "given_names": "OLENA",
        "date_of_birth": date(1985, 3, 14),
        "sex": "F",
        "document_type": "passport",
        "document_number": "FE123456",
    }
    return Citizen(**{**typed, **fields})


def errors_of(validate, exclude=None) -> dict | None:
    try:
        validate(exclude=exclude)
    except ValidationError as error:
        return {field: [(e.message, e.code) for e in es] for field, es in error.error_dict.items()}
    return None


@pytest.mark.parametrize("case", BREAKS)
@pytest.mark.parametrize("exclude", [None, {"sex"}])
def test_the_same_errors_as_django_checking_one_by_one(operation, almaty, case, exclude):
    citizen = person(operation, almaty, **BREAKS[case])
    django_way = errors_of(
        lambda exclude: models.Model.validate_constraints(citizen, exclude), exclude
    )

    assert errors_of(citizen.validate_constraints, exclude) == django_way
    if case != "nothing" and exclude is None:
        assert django_way  # the case does break something


def test_every_check_in_one_query(operation, almaty):
    citizen = person(operation, almaty, sex="Q", document_type="none")

    with CaptureQueriesContext(connection) as queries:
        errors = errors_of(citizen.validate_constraints)

    checks = [q for q in queries.captured_queries if "_check_" in q["sql"]]
    assert len(checks) == 1
    assert len(errors["__all__"]) >= 2  # sex and document, at least
