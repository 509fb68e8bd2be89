"""A country is checked by its code (evac.core.countries), with Django's own words."""

import pytest
from django.core.exceptions import ValidationError

from evac.people.forms import MemberForm
from evac.people.models import Citizen


def test_a_person_with_a_code_that_is_no_country_is_refused_by_the_model():
    citizen = Citizen(nationality="XX", document_issuing_country="")
    field = Citizen._meta.get_field("nationality")

    with pytest.raises(ValidationError, match="is not a valid choice"):
        field.validate(citizen.nationality, citizen)
    field.validate(Citizen(nationality="UA").nationality, citizen)
    with pytest.raises(ValidationError, match="cannot be blank"):
        field.validate(Citizen(nationality="").nationality, citizen)
    # Blank allowed where the field is optional.
    issuing = Citizen._meta.get_field("document_issuing_country")
    issuing.validate(citizen.document_issuing_country, citizen)


@pytest.mark.django_db
def test_the_form_refuses_a_code_that_is_no_country_and_takes_one_that_is():
    form = MemberForm(data={"nationality": "XX", "document_issuing_country": "KZ"})

    assert form["nationality"].errors == [
        "Select a valid choice. XX is not one of the available choices."
    ]
    assert not form["document_issuing_country"].errors
