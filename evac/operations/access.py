"""Who may see and do what, in one place.

Every staff page and API view reaches an operation through `operation_access` (the page
door evac/operations/web.py, the API door evac/api/views/base.py) and reads only within it,
and every service that writes calls `require_permission` first, so the web pages, the API,
the admin actions and the tasks all apply the same rule. `by=EVAC` is Evac itself (a
task, the demo loader) and is allowed everything; no actor (None) is allowed nothing. A
person acting for themselves on the public portal is a `CitizenActor`, allowed only the
few things in CITIZEN_PERMISSIONS, and only on their own record, which they proved with a
one-time code.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from evac.core.actor import EVAC, Actor, CitizenActor
from evac.operations.models import Headquarters, Membership, Operation, Role


class Permission(StrEnum):
    VIEW = "view"
    # Put people on the registry: staff intake, the API, and a person registering themselves.
    REGISTER_PEOPLE = "register_people"
    # Register a whole spreadsheet of people at once (people/imports.py).
    IMPORT_PEOPLE = "import_people"
    EDIT_CITIZENS = "edit_citizens"
    # A need a person claimed for themselves (medical, pregnancy, mobility) counts for the
    # waiting list only once someone on staff confirms it.
    CONFIRM_NEEDS = "confirm_needs"
    PLAN_FLIGHTS = "plan_flights"
    MANAGE_BOOKINGS = "manage_bookings"
    # A decision about a booked person (stays, left, unreachable) cancels their seat, so it
    # is for those who manage seats, and for the person themselves on the portal.
    CANCEL_SEAT_BY_STATUS = "cancel_seat_by_status"
    HANDLE_PASSENGERS = "handle_passengers"
    MANAGE_STAFF = "manage_staff"
    # Who works in the operation: add people with a role, change roles, remove members.
    MANAGE_MEMBERS = "manage_members"
    # Health is the most sensitive thing Evac holds: only the roles that arrange care see it.
    VIEW_MEDICAL = "view_medical"
    # What a message to one person says (evac/notifications/privacy.py has the table).
    READ_MESSAGES = "read_messages"
    # Who looked at whose record: for the people who answer for the operation.
    VIEW_ACCESS_LOG = "view_access_log"
    # Closing an operation and scheduling its personal data to be anonymised.
    MANAGE_OPERATION = "manage_operation"
    # Taking whole travel documents out of Evac (the CSV, XLSX and PAXLST manifests, the
    # print view): only roles that sign in with a second step. Others see numbers masked.
    EXPORT_DOCUMENTS = "export_documents"
    # Accept or decline a seat offer: the person on the portal, or staff for a person who
    # calls in. Making offers is managing bookings.
    ANSWER_SEAT_OFFERS = "answer_seat_offers"
    # Suspend or reopen an airport of the operation's country: every flight plan and every
    # waiting person there depends on it, so it is for coordinators.
    MANAGE_AIRPORTS = "manage_airports"
    # Bring a city or an airport into Evac from the places data, for every operation to use:
    # the coordinators (and headquarters) who set an operation up.
    ADD_PLACES = "add_places"
    # Merge two records of one person, and undo a merge: it moves seats, messages and a
    # household place from one record to another, so it is for coordinators.
    MERGE_PEOPLE = "merge_people"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.COORDINATOR: frozenset(Permission),
    Role.OFFICER: frozenset(
        {
            Permission.VIEW,
            Permission.REGISTER_PEOPLE,
            Permission.IMPORT_PEOPLE,
            Permission.EDIT_CITIZENS,
            Permission.CONFIRM_NEEDS,
            Permission.HANDLE_PASSENGERS,
            Permission.VIEW_MEDICAL,
            Permission.EXPORT_DOCUMENTS,
            Permission.READ_MESSAGES,
            Permission.ANSWER_SEAT_OFFERS,
        }
    ),
    Role.VIEWER: frozenset({Permission.VIEW}),
}
# A closed operation is finished: its members may still read it, and a coordinator may
# reopen it, move its anonymisation date and decide who keeps access, but nothing else in it
# changes, so no personal data can arrive after its anonymisation was scheduled (or done)
# that the task would miss.
CLOSED_OPERATION_PERMISSIONS = frozenset(
    {
        Permission.VIEW,
        Permission.VIEW_MEDICAL,
        Permission.EXPORT_DOCUMENTS,
        Permission.READ_MESSAGES,
        Permission.VIEW_ACCESS_LOG,
        Permission.MANAGE_OPERATION,
        Permission.MANAGE_STAFF,
        Permission.MANAGE_MEMBERS,
    }
)


# What a person may do for themselves on the portal. Registering needs no proof (there is
# nobody on file yet); the rest is allowed only on the record the person proved is theirs:
# change their contacts, say they stay or left (which frees their seat), confirm their seat.
CITIZEN_PERMISSIONS: dict[bool, frozenset[Permission]] = {
    False: frozenset({Permission.REGISTER_PEOPLE}),
    True: frozenset(
        {
            Permission.EDIT_CITIZENS,
            Permission.HANDLE_PASSENGERS,
            Permission.CANCEL_SEAT_BY_STATUS,
            Permission.ANSWER_SEAT_OFFERS,
        }
    ),
}


def is_headquarters(user: Actor) -> bool:
    """Evac itself, an administrator, or a member of the ministry's headquarters: above every
    operation, they open and close operations and act as a coordinator in each."""
    if user is EVAC or getattr(user, "is_superuser", False):
        return True
    if (
        user is None
        or isinstance(user, CitizenActor)
        or not getattr(user, "is_authenticated", False)
    ):
        return False
    return Headquarters.objects.filter(user=user).exists()


def require_headquarters(user: Actor) -> None:
    if not is_headquarters(user):
        raise PermissionDenied(_("Only headquarters may do this."))


def operations_visible_to(user: Actor) -> QuerySet[Operation]:
    if user is EVAC or getattr(user, "is_superuser", False):
        return Operation.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Operation.objects.none()
    # One query either way: a member's operations, or all of them for headquarters.
    return Operation.objects.filter(
        Q(pk__in=Membership.objects.filter(user=user).values("operation"))
        | Q(Exists(Headquarters.objects.filter(user=user)))
    )


def role_in(user: Actor, operation: Operation) -> str | None:
    """The user's role in the operation. Headquarters (and administrators) act as a
    coordinator in every operation, the strongest role, so a plain membership they also
    hold (say as a viewer) never weakens them there. One query for a member."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.COORDINATOR
    membership = (
        Membership.objects.filter(user=user, operation=operation)
        .annotate(at_headquarters=Exists(Headquarters.objects.filter(user=user)))
        .values_list("role", "at_headquarters")
        .first()
    )
    if membership is None:
        return Role.COORDINATOR if is_headquarters(user) else None
    return _role(*membership)


def _role(member_role: str | None, at_headquarters: bool) -> str | None:
    return Role.COORDINATOR if at_headquarters else member_role


def permissions_in(operation: Operation, role: str) -> frozenset[Permission]:
    """What a role may do in this operation now: less once the operation is closed."""
    if operation.status == Operation.Status.CLOSED:
        return ROLE_PERMISSIONS[role] & CLOSED_OPERATION_PERMISSIONS
    return ROLE_PERMISSIONS[role]


@dataclass(frozen=True)
class OperationAccess:
    """An operation as one signed-in user stands in it: their role and what it allows now."""

    operation: Operation
    role: str
    permissions: frozenset[Permission]


def operation_access(user: Actor, slug: str) -> OperationAccess | None:
    """The operation called `slug` as `user` stands in it, or None if they are not a member
    (to whom the doors answer 404, not confirming the operation exists). Both doors, the
    staff pages' (web.py) and the API's (api/views/base.py), start here.

    A signed-in member's role is read in the same query as the operation (the rule of
    `role_in`): one round trip on every staff page and API call instead of two."""
    visible = operations_visible_to(user).filter(slug=slug)
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        operation = visible.first()
        if operation is None:
            return None
        role = role_in(user, operation)
    else:
        operation = visible.annotate(
            member_role=Subquery(
                Membership.objects.filter(user=user, operation=OuterRef("pk")).values("role")
            ),
            at_headquarters=Exists(Headquarters.objects.filter(user=user)),
        ).first()
        if operation is None:
            return None
        role = _role(operation.member_role, operation.at_headquarters)
    return OperationAccess(operation, role, permissions_in(operation, role))


def _still_open(operation: Operation) -> bool:
    """Read from the database, not from `operation`: the portal keeps its operations a few
    seconds per process (portal.selectors.public_operation), and a citizen's write must not
    go through in another process in the seconds after the operation closed."""
    return Operation.objects.filter(pk=operation.pk, status=Operation.Status.ACTIVE).exists()


def has_permission(
    user: Actor, operation: Operation, permission: Permission, *, citizen_id: int | None = None
) -> bool:
    """`citizen_id`: the person the action is about, for a person acting for themselves."""
    if user is EVAC:
        return True
    if user is None:  # a caller that did not say who acts gets nothing
        return False
    if isinstance(user, CitizenActor):
        return (
            user.operation_id == operation.pk
            and user.citizen_id == citizen_id
            and permission in CITIZEN_PERMISSIONS[user.citizen_id is not None]
            and _still_open(operation)
        )
    role = role_in(user, operation)
    return role is not None and permission in permissions_in(operation, role)


def require_permission(
    user: Actor, operation: Operation, permission: Permission, *, citizen_id: int | None = None
) -> None:
    if not has_permission(user, operation, permission, citizen_id=citizen_id):
        raise PermissionDenied(_("You don't have permission to do this in this operation."))
