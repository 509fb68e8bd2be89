"""Registering many people at once (an import's batch of a few hundred rows) with the same
rules as people_register, in a handful of statements instead of a score a person.

people_register stays the one path for a person or a household at the desk, on the portal
and in the API; this is its batch twin for imports, and keeps every rule it keeps:
- each person is validated as citizen_register validates them (the model's field checks and
  Citizen.clean), but for the check constraints: the database checks those at the insert,
  and a batch it refuses is registered unit by unit, each refusal in citizen_register's
  own words;
- someone who may already be on file (same document, or the same name and birth date) is
  refused, as LikelyDuplicates refuses them: against the operation, in one query for the
  batch, and against the people earlier in the same batch;
- the change history gets a "created" entry for each person and household, by the same
  user, and the waiting list's standing and the operation's counts move with the batch
  (people.queue, people.counts, people.time_counts), pairs are scored
  (people.duplicates.pairs_note), and the layers above that watch saves are told
  (`registered_in_bulk`).

A unit that breaks a rule is refused with its reasons and the others are registered. If the
database refuses the batch's insert (a check constraint, or a reference code drawn twice),
the batch is registered again unit by unit by people_register, so a bad unit never stops
the good ones. The intake form has checked what the constraints say already (document
number and type, expiry after birth, the choices), so a batch is seldom refused.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.dispatch import Signal

from evac.core.actor import user_of
from evac.core.clock import now
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation
from evac.people import counts, queue, time_counts
from evac.people.duplicates import pairs_note
from evac.people.models import Citizen, Household
from evac.people.services import (
    NEED_FIELDS,
    LikelyDuplicates,
    _check_fields,
    people_register,
)

# Sent with `household_ids` after a batch's households and people are inserted, in its
# transaction: the layers above that keep facts per household on every save
# (flights.minors_kept) keep them for people registered in bulk, whom no save announced.
registered_in_bulk = Signal()

# Set by the service, not the caller: left out of the field checks (they exist; the
# database's foreign keys and unique index say so at the insert).
NOT_TYPED = ["operation", "current_city", "household", "reference_code"]


@dataclass
class Unit:
    """One person, or a household head first, to be registered together."""

    people: list[dict[str, Any]]
    place: dict[str, Any] = field(default_factory=dict)
    # After people_register_batch: who was registered (head first), or why not.
    registered: list[Citizen] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Reference codes of people on file (or earlier in the batch) this unit may be.
    duplicates: list[str] = field(default_factory=list)
    citizens: list[Citizen] = field(default_factory=list, repr=False)


def people_register_batch(
    *, operation: Operation, source: str, by: Actor, units: list[Unit]
) -> list[Unit]:
    """Register every unit that passes people_register's rules, in one transaction (the
    caller's, or its own); fills each unit's `registered`, or its `errors`/`duplicates`."""
    require_permission(by, operation, Permission.REGISTER_PEOPLE)
    for unit in units:
        for person in unit.people:
            _check_fields({**unit.place, **person})
        unit.citizens = [
            _citizen(operation, source, by, {**unit.place, **person}) for person in unit.people
        ]
    _validate(units)
    _refuse_duplicates(operation, [u for u in units if not u.errors])
    ready = [u for u in units if not u.errors and not u.duplicates]
    if not ready:
        return units
    try:
        with transaction.atomic():
            _insert(operation, by, ready)
    except IntegrityError:
        _one_by_one(operation, source, by, ready)
    return units


def _citizen(operation: Operation, source: str, by: Actor, fields: dict[str, Any]) -> Citizen:
    citizen = Citizen(operation=operation, source=source, **fields)
    # As citizen_register: a need typed on the public portal is a claim until confirmed.
    citizen.needs_claimed = source == Citizen.Source.SELF_REGISTRATION and any(
        getattr(citizen, name) for name in NEED_FIELDS
    )
    citizen._history_user = user_of(by)
    return citizen


def _validate(units: list[Unit]) -> None:
    """citizen_register's full_clean, the check constraints left to the insert."""
    for unit in units:
        for citizen in unit.citizens:
            try:
                citizen.full_clean(
                    exclude=NOT_TYPED, validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                unit.errors.extend(error.messages)


def _document(value: str) -> str:
    return value.upper()


def _name(citizen: Citizen) -> tuple[str, str, Any]:
    return (citizen.surname.upper(), citizen.given_names.upper(), citizen.date_of_birth)


def _refuse_duplicates(operation: Operation, units: list[Unit]) -> None:
    """likely_duplicates for a whole batch: one query for the operation's people with a
    document or a birth date and surname among the batch's, matched here; then each unit
    against the units before it in the batch (as if those were registered already)."""
    people = [c for unit in units for c in unit.citizens]
    if not people:
        return
    documents = {_document(c.document_number) for c in people if c.document_number}
    on_file = (
        operation.citizens.alias(document=Upper("document_number"), name=Upper("surname"))
        .filter(
            Q(document__in=documents)
            | Q(
                date_of_birth__in={c.date_of_birth for c in people},
                name__in={c.surname.upper() for c in people},
            )
        )
        .values_list("reference_code", "document_number", "surname", "given_names", "date_of_birth")
    )
    by_document: dict[str, set[str]] = {}
    by_name: dict[tuple, set[str]] = {}
    for code, document, surname, given, born in on_file.order_by():
        if document:
            by_document.setdefault(_document(document), set()).add(code)
        by_name.setdefault((surname.upper(), given.upper(), born), set()).add(code)
    for unit in units:
        found: set[str] = set()
        for citizen in unit.citizens:
            if citizen.document_number:
                found |= by_document.get(_document(citizen.document_number), set())
            found |= by_name.get(_name(citizen), set())
        if found:
            unit.duplicates = sorted(found)
            continue
        # Registered, as far as the units after it can tell.
        for citizen in unit.citizens:
            if citizen.document_number:
                by_document.setdefault(_document(citizen.document_number), set()).add(
                    citizen.reference_code
                )
            by_name.setdefault(_name(citizen), set()).add(citizen.reference_code)


def _insert(operation: Operation, by: Actor, units: list[Unit]) -> None:
    """Households, people and their history in bulk; then their standing, counts and pairs."""
    moment = now()
    user = user_of(by)
    families = [unit for unit in units if len(unit.citizens) > 1]
    households = Household.objects.bulk_create([Household(operation=operation) for _ in families])
    for unit, household in zip(families, households, strict=True):
        for citizen in unit.citizens:
            citizen.household = household
    people = [citizen for unit in units for citizen in unit.citizens]
    for citizen in people:
        # people.queue's fact for the counts, as its rewrite below would write it.
        citizen.vulnerable_counted = citizen.is_vulnerable
        citizen.registered_at = moment
    Citizen.objects.bulk_create(people)
    for unit, household in zip(families, households, strict=True):
        household.head = unit.citizens[0]
    Household.objects.bulk_update(households, ["head"])
    Household.history.bulk_history_create(households, default_user=user, default_date=moment)
    Citizen.history.bulk_history_create(people, default_user=user, default_date=moment)
    ids = [citizen.pk for citizen in people]
    queue.refresh_units(citizens=ids, households=[h.pk for h in households])
    counts.add(Counter(), counts.tally(Citizen.objects.filter(pk__in=ids)))
    time_counts.add(Counter(), time_counts.tally(Citizen.objects.filter(pk__in=ids)))
    pairs_note(operation=operation, citizen_ids=ids)
    registered_in_bulk.send(sender=None, household_ids=[h.pk for h in households])
    for unit in units:
        unit.registered = unit.citizens


def _one_by_one(operation: Operation, source: str, by: Actor, units: list[Unit]) -> None:
    """The database refused the batch: each unit by people_register, in its own savepoint."""
    for unit in units:
        try:
            with transaction.atomic():
                unit.registered = people_register(
                    operation=operation,
                    source=source,
                    by=by,
                    people=unit.people,
                    place=unit.place,
                )
        except LikelyDuplicates as found:
            unit.duplicates = sorted(
                {match.reference_code for pair in found.duplicates for match in pair.matches}
            )
        except (ValidationError, IntegrityError) as error:
            unit.errors.extend(getattr(error, "messages", [str(error)]))
