"""Writes to an operation itself and to who works in it."""

import logging
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_countries import countries

from evac.core import clock
from evac.core.actor import user_of
from evac.core.errors import Conflict
from evac.core.history import record_by
from evac.operations.access import Actor, Permission, require_headquarters, require_permission
from evac.operations.models import Membership, Operation, Role
from evac.places.models import Airport

logger = logging.getLogger(__name__)

MAX_ADVICE = 2000


def _checked_codes(values, *, known, field: str, message: str) -> list[str]:
    codes = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError({field: message % {"codes": ", ".join(unknown)}})
    return codes


@transaction.atomic
def operation_open(
    *,
    by: Actor,
    name: str,
    slug: str,
    country: str,
    starts_on: date | None = None,
    hotline_phone: str = "",
    hotline_email: str = "",
    advice: str = "",
    embassy_contact_name: str = "",
    embassy_contact_phone: str = "",
    languages: Sequence[str] = (),
    phone_regions: Sequence[str] = (),
) -> Operation:
    """A new operation, active from `starts_on` (today). Headquarters only; they then add
    its coordinator on its Staff page, who is invited by e-mail."""
    require_headquarters(by)
    operation = Operation(
        name=name.strip(),
        slug=slug.strip().lower(),
        country=country.strip().upper(),
        starts_on=starts_on or clock.today(),
        hotline_phone=hotline_phone.strip(),
        hotline_email=hotline_email.strip(),
        advice=advice.strip(),
        embassy_contact_name=embassy_contact_name.strip(),
        embassy_contact_phone=embassy_contact_phone.strip(),
        languages=_checked_codes(
            languages,
            known={code for code, _label in settings.LANGUAGES},
            field="languages",
            message=_("Evac does not write in %(codes)s."),
        ),
        phone_regions=_checked_codes(
            [code.upper() for code in phone_regions],
            known=set(dict(countries)),
            field="phone_regions",
            message=_("Not a country code: %(codes)s."),
        ),
    )
    operation.full_clean()
    operation.save()
    logger.info("%s opened operation %s (%s)", _name(by), operation.slug, operation.country.code)
    return operation


def operation_set_advice(*, operation: Operation, advice: str, by: Actor) -> Operation:
    """The embassy's advice on the public page; coordinators write it."""
    require_permission(by, operation, Permission.PLAN_FLIGHTS)
    advice = advice.strip()
    if len(advice) > MAX_ADVICE:
        raise ValidationError(
            {"advice": _("Keep the advice under %(n)d characters.") % {"n": MAX_ADVICE}}
        )
    operation.advice = advice
    operation.save(update_fields=["advice"])
    return operation


# Members: who works in the operation, with which role. Every change names its author in the
# membership's history and goes to the application log, beside the second-step resets.


def _name(actor: Actor) -> str:
    """The log's name for who acted: a staff member's username, or "Evac" for Evac itself."""
    user = user_of(actor)
    return user.get_username() if user is not None else str(actor)


def _lock_operation(operation: Operation) -> None:
    # Membership changes of one operation queue behind this row lock (PostgreSQL), so two
    # coordinators demoting each other at once can't leave the operation without one. SQLite
    # lets one writer in at a time, which serialises them as well.
    Operation.objects.select_for_update().filter(pk=operation.pk).exists()


def _other_coordinators(membership: Membership) -> bool:
    return (
        Membership.objects.filter(operation_id=membership.operation_id, role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .exists()
    )


LAST_COORDINATOR = _lazy(
    "An operation always has a coordinator: name another one before %(user)s stops being one."
)


def staff_account(
    *, username: str, email: str = "", first_name: str = "", last_name: str = ""
) -> tuple[AbstractBaseUser, bool]:
    """The account called `username`, or a new one without a password (its owner sets one
    from an invitation); True if it is new. Callers check who may ask."""
    username = username.strip()
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(
        username=username,
        email=User.objects.normalize_email(email.strip()),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user, True


@transaction.atomic
def member_add(
    *,
    operation: Operation,
    username: str,
    role: str,
    by: Actor,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> tuple[Membership, bool]:
    """Give a person a role in the operation: an existing account by its username, or a new
    one (without a password: they set their own). Returns the membership and whether the
    account is new. Nobody types another person's password."""
    require_permission(by, operation, Permission.MANAGE_MEMBERS)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    user, created = staff_account(
        username=username, email=email, first_name=first_name, last_name=last_name
    )
    if not created and Membership.objects.filter(operation=operation, user=user).exists():
        raise Conflict(_("%(user)s is already a member of this operation.") % {"user": user})
    membership = record_by(Membership(operation=operation, user=user, role=role), by)
    membership.save()
    logger.info(
        "%s added %s%s to operation %s as %s",
        _name(by),
        user.get_username(),
        " (new account)" if created else "",
        operation.slug,
        role,
    )
    return membership, created


@transaction.atomic
def member_set_role(*, membership: Membership, role: str, by: Actor) -> Membership:
    """Change a member's role; the last coordinator keeps theirs."""
    require_permission(by, membership.operation, Permission.MANAGE_MEMBERS)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    _lock_operation(membership.operation)
    membership.refresh_from_db(fields=["role"])
    if membership.role == role:
        return membership
    if membership.role == Role.COORDINATOR and not _other_coordinators(membership):
        raise Conflict(LAST_COORDINATOR % {"user": membership.user})
    before = membership.role
    membership.role = role
    record_by(membership, by).save(update_fields=["role"])
    logger.info(
        "%s changed the role of %s in operation %s from %s to %s",
        _name(by),
        membership.user.get_username(),
        membership.operation.slug,
        before,
        role,
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, by: Actor) -> None:
    """Take a member out of the operation: they lose it at once. Not the last coordinator."""
    require_permission(by, membership.operation, Permission.MANAGE_MEMBERS)
    _lock_operation(membership.operation)
    membership.refresh_from_db(fields=["role"])
    if membership.role == Role.COORDINATOR and not _other_coordinators(membership):
        raise Conflict(LAST_COORDINATOR % {"user": membership.user})
    record_by(membership, by).delete()
    logger.info(
        "%s removed %s from operation %s",
        _name(by),
        membership.user.get_username(),
        membership.operation.slug,
    )


def operation_airports(operation: Operation):
    """The airports an operation answers for: those of its country (Almaty and Nur-Sultan for
    Kazakhstan), not the ones its flights land at."""
    return Airport.objects.filter(city__country=operation.country).select_related("city")


def airport_set_status(
    *, operation: Operation, airport: Airport, status: str, note: str, by: Actor
) -> Airport:
    """Suspend an airport (with the reason, shown to staff and on the public page) or reopen
    it. No new flight may leave a suspended airport (flights.plans), and the people waiting
    in its city are shown as needing a transfer. The change is kept in the airport's history."""
    require_permission(by, operation, Permission.MANAGE_AIRPORTS)
    if not operation_airports(operation).filter(pk=airport.pk).exists():
        raise ValidationError(_("This airport is not in the operation's country."))
    if status not in Airport.Status.values:
        raise ValidationError({"status": _("Choose open or suspended.")})
    note = note.strip()
    if status == Airport.Status.SUSPENDED and not note:
        raise ValidationError({"note": _("Say why the airport is suspended.")})
    max_note = Airport._meta.get_field("status_note").max_length
    if len(note) > max_note:
        raise ValidationError(
            {"note": _("Keep the note under %(n)d characters.") % {"n": max_note}}
        )
    airport.status, airport.status_note = status, note
    record_by(airport, by).save(update_fields=["status", "status_note"])
    return airport
