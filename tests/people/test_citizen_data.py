from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evac.core.clock import today
from evac.people.models import Citizen, ContactLogEntry, years_before
from evac.people.services import citizen_register, citizen_update, contact_log_add
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def test_phone_numbers_are_stored_in_e164(operation, almaty):
    olena = make_citizen(operation, almaty, phone="+7 701 234 56 78")

    olena.refresh_from_db()
    assert str(olena.phone) == "+77012345678"


def test_a_bad_phone_number_is_refused_with_a_field_error(operation, almaty):
    with pytest.raises(ValidationError) as error:
        make_citizen(operation, almaty, phone="call me maybe")

    assert "phone" in error.value.message_dict


def test_a_document_needs_a_number_unless_there_is_none(operation, almaty):
    with pytest.raises(ValidationError) as error:
        make_citizen(
            operation, almaty, document_type=Citizen.DocumentType.PASSPORT, document_number=""
        )
    assert "Give the document number" in str(error.value)

    nobody_has_one = make_citizen(
        operation, almaty, document_type=Citizen.DocumentType.NONE, document_number=""
    )
    assert nobody_has_one.pk


def test_a_document_cannot_expire_before_its_holder_was_born(operation, almaty):
    with pytest.raises(ValidationError) as error:
        make_citizen(
            operation, almaty, date_of_birth=date(1990, 5, 1), document_expires_on=date(1980, 1, 1)
        )
    assert "expire before its holder was born" in str(error.value)


def test_a_date_of_birth_in_the_future_is_refused(operation, almaty):
    with pytest.raises(ValidationError) as error:
        make_citizen(operation, almaty, date_of_birth=today() + timedelta(days=1))
    assert "date_of_birth" in error.value.message_dict


def test_every_person_gets_a_distinct_reference_code(operation, almaty):
    people = [make_citizen(operation, almaty) for _ in range(20)]
    codes = {p.reference_code for p in people}
    assert len(codes) == 20
    assert people[0].reference == f"{people[0].reference_code[:4]}-{people[0].reference_code[4:]}"


def test_minors_and_the_elderly_count_as_vulnerable(operation, almaty):
    child = make_citizen(operation, almaty, date_of_birth=years_before(today(), 7))
    adult = make_citizen(operation, almaty, date_of_birth=date(1985, 1, 1))
    elder = make_citizen(operation, almaty, date_of_birth=date(1940, 1, 1))
    ill = make_citizen(operation, almaty, medical_need=True, medical_details="insulin")

    assert child.is_minor and elder.is_elderly and ill.is_vulnerable
    assert not adult.is_vulnerable


def test_the_sql_and_python_vulnerability_rules_agree(operation, almaty):
    eighteen_today = years_before(today(), 18)
    sixty_five_today = years_before(today(), 65)
    births = [date(1990, 1, 1), date(2015, 1, 1), eighteen_today, eighteen_today + timedelta(1)]
    births += [sixty_five_today, sixty_five_today + timedelta(days=1)]
    people = [make_citizen(operation, almaty, date_of_birth=born) for born in births]
    people.append(make_citizen(operation, almaty, pregnant=True))
    people.append(make_citizen(operation, almaty, reduced_mobility=True))

    in_sql = set(Citizen.objects.vulnerable().values_list("pk", flat=True))
    in_python = {p.pk for p in people if p.is_vulnerable}
    assert in_sql == in_python
    assert len(in_python) >= 4


def test_updates_keep_status_and_operation_out_of_reach(operation, almaty, bob):
    olena = make_citizen(operation, almaty)

    with pytest.raises(TypeError):
        citizen_update(citizen=olena, status=Citizen.Status.EVACUATED, by=bob)

    olena = citizen_update(citizen=olena, temporary_address="Abay Ave 10, Almaty", by=bob)
    olena.refresh_from_db()
    assert olena.temporary_address == "Abay Ave 10, Almaty"
    assert olena.history.latest().history_user == bob


def test_only_members_who_edit_can_register(operation, almaty, carol, dave):
    for user in (carol, dave):
        with pytest.raises(PermissionDenied):
            citizen_register(
                operation=operation,
                source=Citizen.Source.STAFF_INTAKE,
                by=user,
                surname="Koval",
                given_names="Ivan",
                date_of_birth=date(1970, 1, 1),
                sex="M",
                nationality="UA",
                document_type="passport",
                document_number="FB000001",
                current_city=almaty,
            )
    assert not Citizen.objects.exists()


def test_hearing_from_a_person_moves_last_contacted_forward_only(operation, almaty, bob):
    olena = make_citizen(operation, almaty)
    utc = ZoneInfo("UTC")
    reached = datetime(2022, 1, 10, 9, tzinfo=utc)

    contact_log_add(
        citizen=olena,
        channel=ContactLogEntry.Channel.PHONE,
        direction=ContactLogEntry.Direction.OUTBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        at=reached,
        by=bob,
    )
    contact_log_add(
        citizen=olena,
        channel=ContactLogEntry.Channel.PHONE,
        direction=ContactLogEntry.Direction.OUTBOUND,
        outcome=ContactLogEntry.Outcome.NO_ANSWER,
        at=reached + timedelta(hours=5),
        by=bob,
    )
    contact_log_add(
        citizen=olena,
        channel=ContactLogEntry.Channel.SMS,
        direction=ContactLogEntry.Direction.INBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        at=reached - timedelta(days=1),
        by=bob,
    )

    olena.refresh_from_db()
    assert olena.last_contacted_at == reached
    assert olena.contacts.count() == 3
    assert olena.contacts.first().by == bob
