"""Merging two records of one person, and undoing it.

Staff choose field by field which record's value the person keeps; the other record goes,
and everything that was its (contact log, household place, the rows of imports, and what
the apps above keep: bookings, seat offers, transfers, messages) moves to the kept one in
the same transaction. The kept record's fields from before, the other record whole and
the ids of every row that moved are written in a CitizenMerge, so undo puts both back.

The apps above people own their rows and their rules: each registers a MergeStep (in its
AppConfig.ready) that refuses what would break its rules (two seats, two live offers) and
moves its rows, so this module never imports them and the layers keep pointing down. The
rules of the people app itself (a household, statuses) are here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evac.audit.models import AccessAction, AccessObjectKind
from evac.audit.services import access_log_record
from evac.core.actor import user_of
from evac.core.clock import now
from evac.core.errors import Conflict
from evac.core.history import record_by
from evac.core.requests import Caller
from evac.operations.access import Permission, require_permission
from evac.people.duplicates import pairs_note
from evac.people.merge_models import CitizenMerge
from evac.people.models import Citizen, ContactLogEntry, Household, ImportedRow
from evac.people.services import PERSON_FIELDS, PLACE_FIELDS

# What staff choose between, side by side; "household" only when both have one.
MERGE_FIELDS = (*PERSON_FIELDS, *PLACE_FIELDS, "household")


class MergeRefused(Conflict):
    """A merge or an undo that would break a rule; the message says which and what to do."""


@dataclass(frozen=True)
class MergeStep:
    """What an app above people does in a merge: `check` raises MergeRefused, `move` moves
    the app's rows from `dropped` to `kept` and returns their ids (JSON), `check_undo` and
    `undo` read back what `move` returned."""

    app: str
    check: Callable[[Citizen, Citizen], None]
    move: Callable[[Citizen, Citizen], dict]
    check_undo: Callable[[Citizen, dict], None]
    undo: Callable[[Citizen, Citizen, dict], None]


STEPS: dict[str, MergeStep] = {}


def merge_step_register(step: MergeStep) -> None:
    STEPS[step.app] = step


# Which status the merged person has: the stronger of the two, as the flights decided it.
_STRENGTH = {Citizen.Status.EVACUATED: 2, Citizen.Status.BOOKED: 1}


def merge_refusal(*, kept: Citizen, dropped: Citizen, use_other: Iterable[str] = ()) -> str:
    """Why these two can't be merged as chosen now, or "": for a page to say beforehand."""
    try:
        _check(kept, dropped, set(use_other))
    except MergeRefused as refusal:
        return refusal.message
    return ""


def _check(kept: Citizen, dropped: Citizen, use_other: set[str]) -> None:
    if kept.pk == dropped.pk:
        raise MergeRefused(_("A record can't be merged with itself."))
    if kept.operation_id != dropped.operation_id:
        raise MergeRefused(_("Both records must belong to the same operation."))
    unknown = use_other - set(MERGE_FIELDS)
    if unknown:
        raise MergeRefused(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    statuses = {kept.status, dropped.status}
    if statuses == {Citizen.Status.EVACUATED, Citizen.Status.BOOKED}:
        raise MergeRefused(
            _(
                "One record was evacuated and the other holds a seat: cancel the seat before "
                "merging."
            )
        )
    _household_plan(kept, dropped, use_other)
    for step in STEPS.values():
        step.check(kept, dropped)


@dataclass(frozen=True)
class HouseholdPlan:
    target: int | None  # the household the merged person belongs to
    left: int | None  # the household they leave, if they were in two


def _household_plan(kept: Citizen, dropped: Citizen, use_other: set[str]) -> HouseholdPlan:
    ours, theirs = kept.household_id, dropped.household_id
    if ours is None or theirs is None or ours == theirs:
        return HouseholdPlan(target=ours or theirs, left=None)
    target, left = (theirs, ours) if "household" in use_other else (ours, theirs)
    leaving = dropped.pk if left == theirs else kept.pk
    remaining = list(Citizen.objects.filter(household_id=left).exclude(pk=leaving))
    minors = [member for member in remaining if member.is_minor]
    if minors and all(member.is_minor for member in remaining):
        raise MergeRefused(
            _(
                "%(names)s would be left in a household with no adult. Keep the other "
                "household for the merged person, or move the minors first."
            )
            % {"names": ", ".join(str(m) for m in minors)}
        )
    return HouseholdPlan(target=target, left=left)


def _snapshot(citizen: Citizen) -> dict:
    """Every column as text (microseconds and all), None as None."""
    return {
        f.attname: None if getattr(citizen, f.attname) is None else f.value_to_string(citizen)
        for f in Citizen._meta.concrete_fields
    }


def _restored(snapshot: dict) -> Citizen:
    fields = {f.attname: f for f in Citizen._meta.concrete_fields}
    return Citizen(
        **{
            name: None if value is None else fields[name].to_python(value)
            for name, value in snapshot.items()
        }
    )


@transaction.atomic
def citizens_merge(
    *, kept: Citizen, dropped: Citizen, caller: Caller, use_other: Iterable[str] = ()
) -> CitizenMerge:
    """Merge `dropped` into `kept`, taking the fields in `use_other` from `dropped`.

    Refuses with MergeRefused when a rule says no. Written in the access log (both records)
    and in the change history of the kept record.
    """
    by = caller.user
    require_permission(by, kept.operation, Permission.MERGE_PEOPLE)
    use_other = set(use_other)
    first, second = sorted((kept.pk, dropped.pk))
    locked = Citizen.objects.select_for_update().in_bulk([first, second])
    if len(locked) != 2:
        raise MergeRefused(_("One of the records is gone: it may have been merged already."))
    kept, dropped = locked[kept.pk], locked[dropped.pk]
    _check(kept, dropped, use_other)
    plan = _household_plan(kept, dropped, use_other)
    merge = CitizenMerge(
        operation=kept.operation,
        kept_id=kept.pk,
        kept_reference_code=kept.reference_code,
        dropped_id=dropped.pk,
        dropped_reference_code=dropped.reference_code,
        kept_before=_snapshot(kept),
        dropped_record=_snapshot(dropped),
        merged_by=user_of(by),
    )
    moved: dict[str, Any] = {"people": _move_people_rows(kept, dropped, plan)}
    try:
        for step in STEPS.values():
            moved[step.app] = step.move(kept, dropped)
        # Earlier merges into the record that goes now point at the kept one, so its old
        # codes keep finding the person (and point back when this merge is undone).
        earlier = CitizenMerge.objects.filter(kept_id=dropped.pk, undone_at=None)
        moved["people"]["repointed"] = list(earlier.values_list("pk", flat=True))
        earlier.update(kept_id=kept.pk, kept_reference_code=kept.reference_code)
        merge.moved = moved
        _take_fields(kept, dropped, use_other, plan)
        dropped.delete()
        kept.full_clean()
        record_by(kept, by)
        kept._change_reason = f"merged {dropped.reference}"
        kept.save()
        merge.save()
    except IntegrityError as error:
        refusal = _("One of the records changed a moment ago; please try again.")
        raise MergeRefused(refusal) from error
    for pk, label in ((kept.pk, kept.reference), (merge.dropped_id, dropped.reference)):
        _log(caller, merge, pk, label, AccessAction.PERSON_MERGED)
    pairs_note(operation=kept.operation, citizen_ids=[kept.pk])
    return merge


def _take_fields(kept: Citizen, dropped: Citizen, use_other: set[str], plan: HouseholdPlan) -> None:
    for name in use_other - {"household"}:
        setattr(kept, name, getattr(dropped, name))
    kept.household_id = plan.target
    if use_other & {"medical_need", "reduced_mobility", "pregnant"}:
        kept.needs_claimed = kept.needs_claimed or dropped.needs_claimed
    if _STRENGTH.get(dropped.status, 0) > _STRENGTH.get(kept.status, 0):
        kept.status = dropped.status
    kept.registered_at = min(kept.registered_at, dropped.registered_at)
    heard = [t for t in (kept.last_contacted_at, dropped.last_contacted_at) if t]
    kept.last_contacted_at = max(heard) if heard else None
    repeated = [t for t in (kept.registration_repeated_at, dropped.registration_repeated_at) if t]
    kept.registration_repeated_at = max(repeated) if repeated else None


def _move_people_rows(kept: Citizen, dropped: Citizen, plan: HouseholdPlan) -> dict:
    contacts = list(ContactLogEntry.objects.filter(citizen=dropped).values_list("pk", flat=True))
    ContactLogEntry.objects.filter(pk__in=contacts).update(citizen=kept)
    rows = list(ImportedRow.objects.filter(citizen=dropped).values_list("pk", flat=True))
    ImportedRow.objects.filter(pk__in=rows).update(citizen=kept)
    heads = {}
    for household in Household.objects.filter(head__in=[kept, dropped]):
        heads[str(household.pk)] = household.head_id
        if household.pk == plan.target:
            household.head = kept
        else:  # the household the person leaves: its eldest other member leads it
            household.head = (
                Citizen.objects.filter(household=household)
                .exclude(pk__in=[kept.pk, dropped.pk])
                .order_by("date_of_birth", "pk")
                .first()
            )
        household.save(update_fields=["head"])
    return {"contacts": contacts, "imported_rows": rows, "heads": heads}


def _log(caller: Caller, merge: CitizenMerge, pk: int, label: str, action: AccessAction) -> None:
    access_log_record(
        caller=caller,
        operation=merge.operation,
        action=action,
        kind=AccessObjectKind.PERSON,
        object_id=pk,
        label=label,
    )


def merge_undo_refusal(merge: CitizenMerge) -> str:
    """Why this merge can't be undone now, or ""."""
    try:
        _check_undo(merge)
    except MergeRefused as refusal:
        return refusal.message
    return ""


def _check_undo(merge: CitizenMerge) -> Citizen:
    if not merge.standing:
        raise MergeRefused(_("This merge has been undone already."))
    if not merge.dropped_record:
        raise MergeRefused(_("The operation's personal data was erased: nothing to put back."))
    kept = Citizen.objects.select_for_update().filter(pk=merge.kept_id).first()
    if kept is None or kept.pk != int(merge.kept_before["id"]):
        raise MergeRefused(
            _("The kept record has been merged into another since: undo that merge first.")
        )
    later = CitizenMerge.objects.filter(kept_id=kept.pk, undone_at=None, pk__gt=merge.pk)
    if later.exists():
        raise MergeRefused(_("A later merge into this record stands: undo it first."))
    for app, step in STEPS.items():
        step.check_undo(kept, merge.moved.get(app, {}))
    return kept


@transaction.atomic
def merge_undo(*, merge: CitizenMerge, caller: Caller) -> CitizenMerge:
    """Put both records back as they were before the merge, with the rows that moved."""
    by = caller.user
    require_permission(by, merge.operation, Permission.MERGE_PEOPLE)
    merge = CitizenMerge.objects.select_for_update().get(pk=merge.pk)
    kept = _check_undo(merge)
    dropped = _restored(merge.dropped_record)
    record_by(dropped, by)
    dropped._change_reason = f"merge into {kept.reference} undone"
    dropped.save(force_insert=True)
    before = _restored(merge.kept_before)
    record_by(before, by)
    before._change_reason = f"merge of {dropped.reference} undone"
    before.save()
    people = merge.moved.get("people", {})
    ContactLogEntry.objects.filter(pk__in=people.get("contacts", [])).update(citizen=dropped)
    ImportedRow.objects.filter(pk__in=people.get("imported_rows", [])).update(citizen=dropped)
    CitizenMerge.objects.filter(pk__in=people.get("repointed", [])).update(
        kept_id=dropped.pk, kept_reference_code=dropped.reference_code
    )
    for household_id, head_id in people.get("heads", {}).items():
        Household.objects.filter(pk=int(household_id)).update(head_id=head_id)
    for app, step in STEPS.items():
        step.undo(before, dropped, merge.moved.get(app, {}))
    CitizenMerge.objects.filter(pk=merge.pk).update(undone_at=now(), undone_by=user_of(by))
    merge.refresh_from_db()
    for pk, label in ((before.pk, before.reference), (dropped.pk, dropped.reference)):
        _log(caller, merge, pk, label, AccessAction.PERSON_MERGE_UNDONE)
    pairs_note(operation=merge.operation, citizen_ids=[before.pk, dropped.pk])
    return merge
