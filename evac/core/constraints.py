"""Checking a model's CheckConstraints in one query instead of one query (and a savepoint)
each, as Django's full_clean does.

A person has a handful of check constraints, and every intake form, import row and portal
registration validates them, twice where a form checks before the service: one round trip
for all of them instead of three each keeps registration and imports cheap, and keeps a new
registration from costing visibly more than a repeated one on the public portal.
"""

import logging
from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import (
    BooleanField,
    CheckConstraint,
    ExpressionWrapper,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


class OneQueryChecks:
    """Model mixin: the same errors as Model.validate_constraints, with one query for all
    the check constraints (unique constraints are checked as Django does)."""

    def validate_constraints(self, exclude=None) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict = {}
        for model_class, constraints in self.get_constraints():
            checks = [c for c in constraints if isinstance(c, CheckConstraint)]
            if getattr(self, "_checks_deferred", False):
                checks = []  # checked by the database at a batch's insert (defer_checks)
            for constraint in (c for c in constraints if not isinstance(c, CheckConstraint)):
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
            for constraint in failed_checks(self, model_class, checks, exclude, using):
                error = ValidationError(
                    constraint.get_violation_error_message(),
                    code=constraint.violation_error_code,
                )
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def defer_checks(instance):
    """Leave `instance`'s check constraints out of its own validation (a form's): the
    caller has the database check them (people.bulk_register)."""
    instance._checks_deferred = True
    return instance


def _checks_query(instance, model_class, checks, exclude):
    """A model-less query selecting whether `instance` passes each of `checks`, and the
    checks it could evaluate (a check on a field left out is not)."""
    against = instance._get_field_expression_map(meta=model_class._meta, exclude=exclude)
    query = Query(None)
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    checked = []
    for n, constraint in enumerate(checks):
        passes = Coalesce(
            ExpressionWrapper(Q(constraint.condition), output_field=BooleanField()),
            Value(True),
            output_field=BooleanField(),
        )
        try:
            query.add_annotation(passes, f"_check_{n}")
        except FieldError:
            continue  # on a field left out of this validation
        checked.append(constraint)
    return query, checked


def failed_checks(instance, model_class, checks, exclude, using: str) -> list[CheckConstraint]:
    """The check constraints `instance` breaks, read in one query.

    As CheckConstraint.validate: a constraint on a field left out (`exclude`) is not
    checked, a NULL result passes (the database lets it pass too), and a database error is
    logged and passes.
    """
    if not checks:
        return []
    query, checked = _checks_query(instance, model_class, checks, exclude)
    if not checked:
        return []
    connection = connections[using]
    atomic = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with atomic:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as error:
        logger.warning("Got a database error checking %s's constraints: %s", model_class, error)
        return []
    return [constraint for constraint, passed in zip(checked, row, strict=True) if not passed]
