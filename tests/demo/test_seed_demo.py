"""The demo scenario with its historical dates (seed_demo --historical): the January 2022
numbers, the rules behind them, and safe re-runs. The replay in the present: test_replay.py."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory, override_settings

from evac.demo import scenario
from evac.demo.names import to_latin
from evac.demo.people import plan_parties
from evac.demo.scenario import OPERATION_SLUG, load_demo
from evac.demo.timeline import Timeline
from evac.flights.models import Booking, Flight, GroundTransfer, TransferSeat
from evac.operations.access import role_in
from evac.operations.models import Membership, Operation, Role
from evac.people.models import Citizen, ContactLogEntry, Household
from evac.people.selectors import waiting_in
from evac.places.models import Airport, City

# Hashing three passwords with the production hasher would be most of a load's time.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ON_10_JANUARY = date(2022, 1, 10)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The scenario loaded once for a class of read-only tests, and rolled back after them."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield load_demo("demo-test-password", historical=True)
        transaction.set_rollback(True)


def _flight(operation: Operation, number: str) -> Flight:
    return operation.flights.select_related("departure_airport__city").get(number=number)


def _city(name: str) -> City:
    return City.objects.get(name=name, country="KZ")


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestTheLoadedScenario:
    def test_it_loads_one_active_operation_for_kazakhstan(self, demo):
        operation = Operation.objects.get(slug=OPERATION_SLUG)
        assert operation == demo.operation
        assert operation.name == "Kazakhstan, January 2022"
        assert operation.country.code == "KZ"
        assert operation.starts_on == date(2022, 1, 5)
        assert operation.status == Operation.Status.ACTIVE
        assert operation.hotline_phone.startswith("+7 7172")
        assert operation.hotline_email.endswith("@mfa.gov.ua")

    def test_almaty_airport_is_suspended_and_the_others_are_open(self):
        ala = Airport.objects.get(iata_code="ALA")
        assert ala.status == Airport.Status.SUSPENDED
        assert "CSTO" in ala.status_note
        assert ala.city.name_native == "Алмати"
        assert Airport.objects.get(iata_code="NQZ").is_open
        assert Airport.objects.get(iata_code="KBP").city.name == "Kyiv"

    def test_its_places_are_where_they_are_on_the_map(self):
        almaty, kyiv = _city("Almaty"), City.objects.get(name="Kyiv")
        assert (round(almaty.latitude, 1), round(almaty.longitude, 1)) == (43.3, 76.9)
        assert almaty.population > 1_000_000
        assert (round(kyiv.latitude, 1), round(kyiv.longitude, 1)) == (50.5, 30.5)
        nqz = Airport.objects.get(iata_code="NQZ")
        assert (round(nqz.latitude, 1), round(nqz.longitude, 1)) == (51.0, 71.5)
        assert str(Airport.objects.get(iata_code="KBP").time_zone) == "Europe/Kyiv"
        assert not City.objects.filter(latitude=None).exists()
        assert not Airport.objects.filter(longitude=None).exists()

    def test_about_150_people_are_registered(self, demo):
        assert demo.operation.citizens.count() == demo.registered == 170

    def test_it_loads_116_people_waiting_in_almaty(self, demo):
        almaty = _city("Almaty")
        assert waiting_in(operation=demo.operation, city=almaty).count() == 116
        assert demo.waiting_in_almaty == 116

    def test_the_9_january_flight_landed_in_kyiv_with_33_on_board(self, demo):
        flight = _flight(demo.operation, "PS 9002")
        assert flight.status == Flight.Status.LANDED
        assert flight.kind == Flight.Kind.SCHEDULED
        assert (flight.departure_airport.iata_code, flight.arrival_airport.iata_code) == (
            "NQZ",
            "KBP",
        )
        assert flight.departs_local.date() == date(2022, 1, 9)
        assert flight.departs_local.utcoffset() == timedelta(hours=6)
        assert flight.bookings.filter(status=Booking.Status.BOARDED).count() == 33

    def test_everyone_who_boarded_on_9_january_is_evacuated_from_nur_sultan(self, demo):
        boarded = set(
            Citizen.objects.filter(
                bookings__flight__number="PS 9002", bookings__status=Booking.Status.BOARDED
            )
        )
        evacuated = set(demo.operation.citizens.filter(status=Citizen.Status.EVACUATED))
        assert len(evacuated) == 33
        assert boarded == evacuated
        assert {person.current_city.name for person in evacuated} == {"Nur-Sultan"}

    def test_the_passenger_who_missed_9_january_holds_a_seat_on_13_january(self, demo):
        (no_show,) = Booking.objects.filter(flight__number="PS 9002", status=Booking.Status.NO_SHOW)
        assert not no_show.is_active
        seat = no_show.citizen.bookings.get(is_active=True)
        assert seat.flight.number == "PS 9004"
        assert no_show.citizen.status == Citizen.Status.BOOKED

    def test_the_13_and_16_january_flights_are_open_with_some_seats_booked(self, demo):
        flight_13 = _flight(demo.operation, "PS 9004")
        flight_16 = _flight(demo.operation, "PS 9006")
        assert [flight_13, flight_16] == demo.open_flights
        assert flight_13.departs_local.date() == date(2022, 1, 13)
        assert flight_16.departs_local.date() == date(2022, 1, 16)
        assert (flight_13.seats_booked, flight_13.seats_total) == (12, 60)
        assert (flight_16.seats_booked, flight_16.seats_total) == (3, 60)
        assert {f.departure_airport.iata_code for f in demo.open_flights} == {"NQZ"}

    def test_seats_booked_is_the_number_of_active_bookings(self, demo):
        for flight in demo.open_flights:
            assert flight.seats_booked == flight.bookings.filter(is_active=True).count()
        booked = demo.operation.citizens.filter(status=Citizen.Status.BOOKED)
        assert (
            booked.count()
            == Booking.objects.filter(flight__operation=demo.operation, is_active=True).count()
        )
        assert booked.count() == 15

    def test_a_seat_given_back_is_cancelled_and_its_holder_stays(self):
        (cancelled,) = Booking.objects.filter(status=Booking.Status.CANCELLED)
        assert cancelled.flight.number == "PS 9004"
        assert not cancelled.is_active
        assert cancelled.citizen.status == Citizen.Status.DECIDED_TO_STAY

    def test_some_decide_to_stay_one_left_by_own_means_one_is_unreachable(self, demo):
        counts = demo.status_counts
        assert counts[Citizen.Status.DECIDED_TO_STAY] == 4
        assert counts[Citizen.Status.LEFT_BY_OWN_MEANS] == 1
        assert counts[Citizen.Status.UNREACHABLE] == 1
        assert counts[Citizen.Status.WAITING] == 116
        assert sum(counts.values()) == 170

    def test_every_household_has_a_head_who_is_one_of_its_members(self, demo):
        households = Household.objects.filter(operation=demo.operation)
        assert households.count() >= 20
        for household in households:
            assert household.head is not None
            assert household.head.household_id == household.pk
            assert 2 <= household.members.count() <= 5

    def test_families_are_never_split_across_statuses_or_flights(self, demo):
        for household in Household.objects.filter(operation=demo.operation):
            members = list(household.members.all())
            assert len({m.status for m in members}) == 1, household
            flights = {b.flight_id for m in members for b in m.bookings.filter(is_active=True)}
            assert len(flights) <= 1, household

    def test_some_people_are_vulnerable(self, demo):
        people = demo.operation.citizens
        assert people.filter(medical_need=True).exclude(medical_details="").exists()
        assert people.filter(reduced_mobility=True).exists()
        assert people.filter(pregnant=True, sex=Citizen.Sex.FEMALE).exists()
        assert people.filter(date_of_birth__gt=date(2004, 1, 10)).count() >= 10  # minors
        assert people.filter(date_of_birth__lte=date(1957, 1, 10)).count() >= 5  # 65 and over
        assert people.vulnerable(on=ON_10_JANUARY).count() < people.count()

    def test_names_are_spelled_as_in_passports_and_in_cyrillic(self, demo):
        ukrainians = demo.operation.citizens.filter(nationality="UA")
        for person in ukrainians:
            assert person.surname == to_latin(person.surname_native)
            assert person.given_names == to_latin(person.given_names_native)
        assert ukrainians.filter(surname_native__regex=r"^[А-ЯІЇЄҐ]").count() == len(ukrainians)

    def test_documents_nationalities_and_languages_are_mixed(self, demo):
        people = demo.operation.citizens
        assert people.filter(document_type=Citizen.DocumentType.PASSPORT).count() > 100
        assert people.filter(document_type=Citizen.DocumentType.NATIONAL_ID).exists()
        assert people.filter(document_type=Citizen.DocumentType.NONE).count() in (1, 2)
        kazakhs = people.filter(nationality="KZ")
        assert kazakhs.count() >= 2
        assert all(k.household is not None for k in kazakhs)
        assert set(people.values_list("preferred_language", flat=True)) == {"uk", "ru", "en"}
        assert people.filter(source=Citizen.Source.SELF_REGISTRATION).exists()
        assert people.filter(phone__startswith="+7").exists()
        assert people.filter(phone__startswith="+380").exists()

    def test_registrations_run_from_5_to_11_january_with_43_by_the_6th(self, demo):
        people = demo.operation.citizens
        moments = list(people.values_list("registered_at", flat=True))
        assert min(moments) >= datetime(2022, 1, 5, tzinfo=UTC)
        assert max(moments) < datetime(2022, 1, 12, tzinfo=UTC)
        assert people.filter(registered_at__lt=datetime(2022, 1, 7, tzinfo=UTC)).count() == 43

    def test_a_train_from_almaty_runs_before_each_flight(self, demo):
        trains = list(GroundTransfer.objects.filter(operation=demo.operation))
        flights = list(demo.operation.flights.order_by("departs_at"))
        assert len(trains) == len(flights) == 3
        for train, flight in zip(trains, flights, strict=True):
            assert train.mode == GroundTransfer.Mode.RAIL
            assert (train.from_city.name, train.to_city.name) == ("Almaty", "Nur-Sultan")
            assert train.arrives_at < flight.report_at
        assert [t.status for t in trains] == ["arrived", "arrived", "scheduled"]

    def test_the_9_january_passengers_came_by_train_booked_as_one_journey(self, demo):
        flight = _flight(demo.operation, "PS 9002")
        train = GroundTransfer.objects.filter(operation=demo.operation).first()
        boarded = flight.bookings.filter(status=Booking.Status.BOARDED)
        legs = TransferSeat.objects.filter(transfer=train)
        assert legs.count() == boarded.count() == 33
        assert set(legs.values_list("connects_to", flat=True)) == set(
            boarded.values_list("pk", flat=True)
        )
        assert set(legs.values_list("status", flat=True)) == {TransferSeat.Status.BOARDED}
        assert train.seats_booked == 33 <= train.seats_total
        assert all(
            p.registered_at < flight.departs_at
            for p in Citizen.objects.filter(transfer_seats__transfer=train)
        )

    def test_the_almaty_passengers_of_13_january_took_the_train_and_hold_their_seats(self, demo):
        flight = _flight(demo.operation, "PS 9004")
        train = GroundTransfer.objects.filter(operation=demo.operation)[1]
        legs = TransferSeat.objects.filter(transfer=train).select_related("connects_to")
        assert legs.count() == train.seats_booked == 8
        assert {leg.status for leg in legs} == {TransferSeat.Status.BOARDED}
        assert {leg.connects_to.flight_id for leg in legs} == {flight.pk}
        assert all(leg.connects_to.is_active for leg in legs)
        arrived = {leg.citizen.current_city.name for leg in legs}
        assert arrived == {"Nur-Sultan"}

    def test_the_next_train_has_room_for_people_waiting_in_almaty(self, demo):
        train = GroundTransfer.objects.filter(operation=demo.operation).last()
        assert train.status == GroundTransfer.Status.SCHEDULED
        assert train.seats_booked == 0 and train.seats_total == 40

    def test_contact_log_entries_are_dated_january_2022(self, demo):
        entries = ContactLogEntry.objects.filter(citizen__operation=demo.operation)
        assert entries.count() >= 5
        assert {e.at.date().month for e in entries} == {1}
        assert {e.at.year for e in entries} == {2022}
        unreachable = demo.operation.citizens.get(status=Citizen.Status.UNREACHABLE)
        assert unreachable.contacts.filter(outcome=ContactLogEntry.Outcome.NO_ANSWER).exists()
        reached = entries.filter(outcome=ContactLogEntry.Outcome.REACHED).first()
        assert reached.citizen.last_contacted_at.year == 2022

    def test_the_demo_logins_work_and_have_their_roles(self, demo):
        for username, role in (
            ("coordinator", Role.COORDINATOR),
            ("officer", Role.OFFICER),
            ("viewer", Role.VIEWER),
        ):
            user = _log_in(username=username, password="demo-test-password")
            assert user is not None, username
            assert role_in(user, demo.operation) == role
            assert not user.is_superuser and not user.is_staff

    def test_the_summary_gives_the_numbers_and_the_logins(self, demo):
        summary = demo.summary()
        assert "170 registered, 116 waiting in Almaty, 33 evacuated" in summary
        assert "PS 9004 NQZ→KBP on 13 Jan 2022 10:40: 12 of 60 seats booked" in summary
        assert "PS 9006 NQZ→KBP on 16 Jan 2022 10:40: 3 of 60 seats booked" in summary
        assert "password: demo-test-password" in summary
        for username in ("coordinator", "officer", "viewer"):
            assert username in summary


def test_the_same_seed_invents_the_same_people():
    cities = {"almaty": City(name="Almaty"), "nur_sultan": City(name="Nur-Sultan")}
    first, second = plan_parties(2022, cities, Timeline()), plan_parties(2022, cities, Timeline())
    assert [p.members for p in first] == [p.members for p in second]
    assert sum(p.size for p in first) == 170


def test_names_are_transliterated_by_the_ukrainian_passport_rules():
    assert to_latin("Гончаренко") == "Honcharenko"
    assert to_latin("Юлія") == "Yuliia"
    assert to_latin("Євген") == "Yevhen"
    assert to_latin("Олійник") == "Oliinyk"
    assert to_latin("Згурський") == "Zghurskyi"
    assert to_latin("Мар'яна") == "Mariana"
    assert to_latin("Гордієнко") == "Hordiienko"


def _snapshot() -> dict[str, int]:
    models = [
        Operation,
        City,
        Airport,
        Citizen,
        Household,
        Flight,
        Booking,
        GroundTransfer,
        ContactLogEntry,
        User,
        Membership,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    for status in Citizen.Status.values:
        counts[status] = Citizen.objects.filter(status=status).count()
    for flight in Flight.objects.all():
        counts[flight.number] = flight.seats_booked
    return counts


@pytest.mark.django_db
def test_running_it_twice_duplicates_nothing_and_resets_the_passwords():
    call_command("seed_demo", "--historical", stdout=StringIO())
    before = _snapshot()
    assert _log_in(username="officer", password=settings.EVAC_DEMO_PASSWORD) is not None

    out = StringIO()
    call_command("seed_demo", "--historical", "--password", "kazakhstan-drill", stdout=out)

    assert _snapshot() == before
    assert before["Citizen"] == 170 and before["User"] == before["Membership"] == 3
    assert "kept the week of 5-11 January 2022 with its dates as they were" in out.getvalue()
    assert "password: kazakhstan-drill" in out.getvalue()
    for username in ("coordinator", "officer", "viewer"):
        assert _log_in(username=username, password="kazakhstan-drill") is not None
        assert _log_in(username=username, password=settings.EVAC_DEMO_PASSWORD) is None


def test_an_empty_password_is_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--password", "")


@pytest.mark.django_db
def test_a_failure_part_way_leaves_nothing_behind(monkeypatch):
    def break_down(*args, **kwargs):
        raise RuntimeError("the lights went out")

    monkeypatch.setattr(scenario, "_fill_13_january", break_down)
    with pytest.raises(RuntimeError):
        load_demo("demo-test-password", historical=True)

    assert not Operation.objects.filter(slug=OPERATION_SLUG).exists()
    assert not Citizen.objects.exists()
    assert not Flight.objects.exists()
    assert not User.objects.filter(username="coordinator").exists()


def _log_in(*, username: str, password: str):
    """Django's authenticate() as the login page calls it (django-axes needs the request)."""
    return authenticate(
        RequestFactory().post("/accounts/login/"), username=username, password=password
    )
