"""Merging two records of one person: fields chosen side by side, everything of the other
record moved in one transaction, refused where a rule says no, and undone exactly."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evac.audit.models import AccessLogEntry
from evac.flights.models import Booking, TransferSeat
from evac.flights.services import booking_create
from evac.flights.transfers import transfer_book
from evac.notifications.models import Notification
from evac.people.merges import MergeRefused, citizens_merge, merge_refusal, merge_undo
from evac.people.models import Citizen, CitizenMerge, ContactLogEntry, Household
from evac.people.services import contact_log_add, household_register
from evac.portal.selectors import citizen_lookup
from tests.factories import make_citizen, make_flight
from tests.flights.factories import make_transfer

pytestmark = pytest.mark.django_db


def caller(user):
    from evac.core.requests import Caller

    return Caller(user=user, method="POST", through_api=False, ip_address="127.0.0.1")


def fields_of(citizen: Citizen) -> dict:
    citizen = Citizen.objects.get(pk=citizen.pk)
    return {f.attname: getattr(citizen, f.attname) for f in Citizen._meta.concrete_fields}


@pytest.fixture
def pair(operation, almaty):
    latin = make_citizen(
        operation, almaty, surname="Shevchenko", given_names="Olena", phone="+77011234567"
    )
    cyrillic = make_citizen(
        operation,
        almaty,
        surname="Shevchenko",
        given_names="Olena",
        surname_native="Шевченко",
        email="olena@example.org",
    )
    return latin, cyrillic


def test_the_kept_record_takes_the_chosen_fields_and_the_other_goes(pair, alice):
    kept, other = pair
    phone, email = kept.phone, other.email

    merge = citizens_merge(
        kept=kept, dropped=other, caller=caller(alice), use_other=["email", "surname_native"]
    )

    kept.refresh_from_db()
    assert (kept.phone, kept.email, kept.surname_native) == (phone, email, "Шевченко")
    assert not Citizen.objects.filter(pk=other.pk).exists()
    assert merge.dropped_reference_code == other.reference_code


def test_contacts_messages_and_a_seat_move_to_the_kept_record(pair, alice, flight):
    kept, other = pair
    contact_log_add(
        citizen=other, channel="phone", direction="inbound", outcome="reached", by=alice
    )
    booking = booking_create(flight=flight, citizen=other, by=alice)
    seats_booked = flight.__class__.objects.get(pk=flight.pk).seats_booked
    assert Notification.objects.filter(citizen=other).exists()  # the booking confirmation

    citizens_merge(kept=kept, dropped=other, caller=caller(alice))

    kept.refresh_from_db()
    booking.refresh_from_db()
    assert booking.citizen == kept and booking.is_active
    assert kept.status == Citizen.Status.BOOKED
    assert ContactLogEntry.objects.filter(citizen=kept).count() == 1
    assert Notification.objects.filter(citizen=kept).exists()
    # The same seat, for the same person: the counter is unchanged.
    assert flight.__class__.objects.get(pk=flight.pk).seats_booked == seats_booked


def test_two_records_each_holding_a_seat_are_not_merged(pair, alice, operation, nqz, kbp):
    kept, other = pair
    first = make_flight(operation, nqz, kbp, number="PS9001")
    second = make_flight(operation, nqz, kbp, number="PS9002")
    booking_create(flight=first, citizen=kept, by=alice)
    booking_create(flight=second, citizen=other, by=alice)

    with pytest.raises(MergeRefused, match="Both records hold a seat"):
        citizens_merge(kept=kept, dropped=other, caller=caller(alice))

    assert Citizen.objects.filter(pk=other.pk).exists()
    assert Booking.objects.filter(citizen=other, is_active=True).exists()
    assert "Both records hold a seat" in merge_refusal(kept=kept, dropped=other)


def test_two_records_each_holding_a_seat_on_one_transfer_are_not_merged(
    pair, alice, operation, almaty, nqz
):
    kept, other = pair
    transfer = make_transfer(operation, almaty, nqz.city)
    transfer_book(transfer=transfer, citizen=kept, by=alice)
    transfer_book(transfer=transfer, citizen=other, by=alice)

    with pytest.raises(MergeRefused, match="same transfer"):
        citizens_merge(kept=kept, dropped=other, caller=caller(alice))

    assert TransferSeat.objects.filter(citizen=other, is_active=True).exists()


def test_a_merge_that_would_leave_a_minor_without_an_adult_is_refused(
    operation, almaty, alice, pair
):
    kept, _ = pair
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=alice,
        members=[
            {
                "surname": "Shevchenko",
                "given_names": "Olena",
                "date_of_birth": date(1985, 3, 14),
                "sex": "F",
                "nationality": "UA",
                "document_type": "none",
                "current_city": almaty,
            },
            {
                "surname": "Shevchenko",
                "given_names": "Taras",
                "date_of_birth": date(2019, 6, 1),
                "sex": "M",
                "nationality": "UA",
                "document_type": "child_travel_document",
                "document_number": "CT123456",
                "current_city": almaty,
            },
        ],
    )
    mother = household.head
    own = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=alice,
        members=[{**{"surname": "Zzz", "given_names": "A"}, **_adult(almaty)}],
    )
    kept.household = own
    kept.save()

    with pytest.raises(MergeRefused, match="no adult"):
        citizens_merge(kept=kept, dropped=mother, caller=caller(alice))

    # Keeping the mother's household for the merged person is fine.
    citizens_merge(kept=kept, dropped=mother, caller=caller(alice), use_other=["household"])
    kept.refresh_from_db()
    household.refresh_from_db()
    assert kept.household == household and household.head == kept


def _adult(city) -> dict:
    return {
        "date_of_birth": date(1970, 1, 1),
        "sex": "F",
        "nationality": "UA",
        "document_type": "none",
        "current_city": city,
    }


def test_undo_restores_both_records_and_every_row_exactly(pair, alice, flight, operation, almaty):
    kept, other = pair
    contact_log_add(
        citizen=other, channel="phone", direction="inbound", outcome="reached", by=alice
    )
    booking = booking_create(flight=flight, citizen=other, by=alice)
    transfer = make_transfer(operation, almaty, flight.departure_airport.city)
    (seat,) = transfer_book(transfer=transfer, citizen=other, by=alice)
    before = {"kept": fields_of(kept), "other": fields_of(other)}
    messages = set(Notification.objects.filter(citizen=other).values_list("pk", flat=True))

    merge = citizens_merge(
        kept=kept, dropped=other, caller=caller(alice), use_other=["email", "phone"]
    )
    assert TransferSeat.objects.get(pk=seat.pk).citizen_id == kept.pk
    merge_undo(merge=merge, caller=caller(alice))

    assert _diff(fields_of(kept), before["kept"]) == {}
    assert _diff(fields_of(other), before["other"]) == {}
    assert Booking.objects.get(pk=booking.pk).citizen_id == other.pk
    assert ContactLogEntry.objects.get().citizen_id == other.pk
    assert set(Notification.objects.filter(citizen=other).values_list("pk", flat=True)) == messages
    assert TransferSeat.objects.get(pk=seat.pk).citizen_id == other.pk
    assert CitizenMerge.objects.get().undone_at is not None


def test_an_undone_merge_is_not_undone_twice(pair, alice):
    merge = citizens_merge(kept=pair[0], dropped=pair[1], caller=caller(alice))
    merge_undo(merge=merge, caller=caller(alice))

    with pytest.raises(MergeRefused, match="undone already"):
        merge_undo(merge=merge, caller=caller(alice))


def test_an_undo_is_refused_when_the_seat_changed_since(pair, alice, flight):
    from evac.flights.services import booking_cancel

    kept, other = pair
    booking_create(flight=flight, citizen=other, by=alice)
    merge = citizens_merge(kept=kept, dropped=other, caller=caller(alice))
    booking_cancel(booking=Booking.objects.get(citizen=kept), by=alice)

    with pytest.raises(MergeRefused, match="seat changed"):
        merge_undo(merge=merge, caller=caller(alice))


def test_the_old_reference_code_still_finds_the_person_on_the_portal(pair, alice, operation):
    kept, other = pair

    citizens_merge(kept=kept, dropped=other, caller=caller(alice))

    found = citizen_lookup(
        operation, code=other.reference, date_of_birth=other.date_of_birth, surname=""
    )
    assert found == kept


def test_a_chain_of_merges_undoes_in_reverse_order(operation, almaty, pair, alice):
    first, second = pair
    third = make_citizen(operation, almaty, surname="Shevchenko")
    early = citizens_merge(kept=second, dropped=first, caller=caller(alice))
    late = citizens_merge(kept=third, dropped=second, caller=caller(alice))
    found = citizen_lookup(
        operation, code=first.reference, date_of_birth=None, surname="Shevchenko"
    )
    assert found == third

    with pytest.raises(MergeRefused, match="merged into another"):
        merge_undo(merge=early, caller=caller(alice))
    merge_undo(merge=late, caller=caller(alice))
    merge_undo(merge=CitizenMerge.objects.get(pk=early.pk), caller=caller(alice))

    assert Citizen.objects.filter(pk__in=[first.pk, second.pk, third.pk]).count() == 3


def test_merge_and_undo_are_in_the_access_log_and_the_history(pair, alice):
    kept, other = pair

    merge = citizens_merge(kept=kept, dropped=other, caller=caller(alice))
    merge_undo(merge=merge, caller=caller(alice))

    logged = set(AccessLogEntry.objects.values_list("action", "object_id"))
    assert logged == {
        ("person_merged", kept.pk),
        ("person_merged", other.pk),
        ("person_merge_undone", kept.pk),
        ("person_merge_undone", other.pk),
    }
    reasons = set(
        Citizen.history.filter(id=kept.pk).values_list("history_change_reason", flat=True)
    )
    assert f"merged {other.reference}" in reasons


def test_an_officer_may_not_merge(pair, bob):
    with pytest.raises(PermissionDenied):
        citizens_merge(kept=pair[0], dropped=pair[1], caller=caller(bob))
    assert Household.objects.count() == 0 and Citizen.objects.count() == 2


def _diff(a, b):
    return {k: (a[k], b[k]) for k in a if a[k] != b[k]}


def _log_call(citizen, by):
    contact_log_add(citizen=citizen, channel="phone", direction="inbound", outcome="reached", by=by)


def test_the_page_shows_both_records_side_by_side_and_merges_as_chosen(client, pair, alice):
    kept, other = pair
    client.force_login(alice)
    url = reverse("people:merge", args=[kept.operation.slug, kept.reference_code])

    page = client.get(url, {"with": other.reference_code})
    assert page.status_code == 200
    assert "olena@example.org" in page.content.decode()
    assert AccessLogEntry.objects.filter(action="person_merge_opened").count() == 2

    done = client.post(url, {"with": other.reference_code, "keep-email": "other"})

    assert done.status_code == 302
    kept.refresh_from_db()
    assert kept.email == "olena@example.org"
    assert not Citizen.objects.filter(pk=other.pk).exists()


def test_the_page_says_why_a_merge_is_refused_and_keeps_both(
    client, pair, alice, operation, nqz, kbp
):
    kept, other = pair
    booking_create(flight=make_flight(operation, nqz, kbp), citizen=kept, by=alice)
    booking_create(flight=make_flight(operation, nqz, kbp), citizen=other, by=alice)
    client.force_login(alice)
    url = reverse("people:merge", args=[operation.slug, kept.reference_code])

    response = client.post(url, {"with": other.reference_code})

    assert response.status_code == 200
    assert "Both records hold a seat" in response.content.decode()
    assert Citizen.objects.filter(pk=other.pk).exists()


def test_the_list_of_merges_undoes_one(client, pair, alice, operation):
    merge = citizens_merge(kept=pair[0], dropped=pair[1], caller=caller(alice))
    client.force_login(alice)
    assert (
        pair[1].reference_code
        in client.get(reverse("people:merges", args=[operation.slug])).content.decode()
    )

    response = client.post(reverse("people:merge_undo", args=[operation.slug, merge.pk]))

    assert response.status_code == 302
    assert Citizen.objects.filter(pk=pair[1].pk).exists()


def test_an_officer_gets_no_merge_page(client, pair, bob, operation):
    client.force_login(bob)
    url = reverse("people:merge", args=[operation.slug, pair[0].reference_code])

    assert client.get(url, {"with": pair[1].reference_code}).status_code == 403
    assert client.post(url, {"with": pair[1].reference_code}).status_code == 403


def test_the_api_merges_and_undoes(pair, alice, operation):
    from tests.api.client import op_url, token_client

    api = token_client(alice)
    kept, other = pair

    made = api.post(
        op_url(operation, f"citizens/{kept.reference}/merge/"),
        {"other": other.reference, "use_other": ["email"]},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["merged_away"] == other.reference
    refused = api.post(
        op_url(operation, f"citizens/{kept.reference}/merge/"),
        {"other": kept.reference, "use_other": ["nonsense"]},
        format="json",
    )
    assert refused.status_code == 400 and "use_other" in refused.json()["error"]["fields"]

    undone = api.post(op_url(operation, f"merges/{made.json()['id']}/undo/"), format="json")

    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert Citizen.objects.filter(pk=other.pk).exists()
