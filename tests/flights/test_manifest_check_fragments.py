"""The manifest writes a passenger's codes and document flags as flights/_checks.html does.

The print view and the boarding page still render that template; the manifest writes the
same markup in Python (flights/rows.py). Every mix of codes and flags, in each language.
"""

import pytest
from django.template.loader import get_template
from django.utils import translation

from evac.flights.checks import PassengerCheck
from evac.flights.rows import CheckWriter
from evac.people.documents import DocumentIssue


class Booked:
    def __init__(self, check: PassengerCheck) -> None:
        self.check = check


CHECKS = [
    PassengerCheck(special_service=("WCHC",), issues=()),
    PassengerCheck(special_service=("STCR", "MEDA", "OTHS/PREGNANT", "UMNR"), issues=()),
    PassengerCheck(special_service=(), issues=(DocumentIssue.EXPIRES,)),
    PassengerCheck(special_service=(), issues=tuple(DocumentIssue)),
    PassengerCheck(special_service=("INFT", "<&>"), issues=(DocumentIssue.NAME, DocumentIssue.AGE)),
]


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_each_mix_of_codes_and_flags_is_what_the_template_writes(language):
    template = get_template("flights/_checks.html")

    with translation.override(language):
        writer = CheckWriter()
        for check in CHECKS:
            assert writer.html(check) == template.render({"booking": Booked(check)}), check
