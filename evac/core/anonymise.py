"""What the apps' anonymisers share: how each says which of its fields are personal, the
batches they change rows in, and the admin log's names.

Each app says in its own `anonymise.py` which text of its models is personal (erased when
an operation is anonymised) and which is kept, and erases its own; evac/cockpit/retention.py
only calls them, in order. A test fails when a text field is declared neither.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

# Rows per transaction: small enough that a batch takes a fraction of a second and its locks
# don't hold anyone up, large enough that 100,000 people take a few hundred round trips.
BATCH = 500
# What stands where a required text was (a surname, a document number). Data, not a label:
# the same in every language, like the manifests.
ANONYMISED = "Anonymised"


@dataclass(frozen=True)
class Fields:
    """A model's fields: `personal` ones are erased, `kept` ones stay (with the reason in a
    comment where it isn't obvious)."""

    personal: frozenset[str] = field(default_factory=frozenset)
    kept: frozenset[str] = field(default_factory=frozenset)


def declare(*, personal: Iterable[str] = (), kept: Iterable[str] = ()) -> Fields:
    return Fields(frozenset(personal), frozenset(kept))


def erased(model: type[models.Model], name: str):
    """What an erased field holds: nothing, in the field's own way of saying so."""
    model_field = model._meta.get_field(name)
    if isinstance(model_field, models.JSONField):
        return {}
    if isinstance(model_field, models.CharField | models.TextField):
        return ""
    return None


def batches(queryset: models.QuerySet, key: str = "pk") -> Iterator[list[int]]:
    """The queryset's keys, BATCH at a time, in key order (a cursor, not OFFSET)."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(**{f"{key}__gt": last})
        keys = list(page.order_by(key).values_list(key, flat=True)[:BATCH])
        if not keys:
            return
        yield keys
        last = keys[-1]


def admin_logged(model: type[models.Model]) -> set[int]:
    """The ids of `model`'s rows that django.contrib.admin's log names.

    The admin log is small (the admin is for rare repairs): its ids are read whole, and
    each app asks which of them are the operation's, now or, once deleted, in their history.
    """
    content_type = ContentType.objects.get_for_model(model)
    return {
        int(pk)
        for pk in LogEntry.objects.filter(content_type=content_type)
        .values_list("object_id", flat=True)
        .distinct()
        if pk and pk.isdigit()
    }


def admin_log_forget(model: type[models.Model], ids: Iterable[int]) -> None:
    """Replace the name and change message the admin log keeps of these rows."""
    content_type = ContentType.objects.get_for_model(model)
    name = str(model._meta.verbose_name)
    for pk in ids:
        LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(
            object_repr=f"{name} {pk} ({ANONYMISED.lower()})", change_message=""
        )


def admin_log_forget_of_operation(
    model: type[models.Model], operation_id: int, to_operation: str = "operation_id"
) -> None:
    """The admin log's names of `model`'s rows in the operation, including rows deleted since
    when the model keeps a history with the operation's id."""
    logged = admin_logged(model)
    if not logged:
        return
    ours = set(
        model.objects.filter(pk__in=logged, **{to_operation: operation_id}).values_list(
            "pk", flat=True
        )
    )
    history = getattr(model, "history", None)
    if history is not None and to_operation == "operation_id":
        ours |= set(
            history.model.objects.filter(id__in=logged, operation_id=operation_id)
            .values_list("id", flat=True)
            .distinct()
        )
    admin_log_forget(model, ours)
