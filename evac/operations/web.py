"""The one door from a staff URL to an operation's data.

Every staff page lives under /ops/<slug>/ and is wrapped in `operation_page`, which checks
login, membership and the permission the page needs. A non-member gets 404, so the page does
not even confirm that the operation exists; a member without the permission gets 403.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from evac.operations.access import Permission, operation_access, operations_visible_to
from evac.operations.models import Operation, Role

View = Callable[..., HttpResponse]
SAFE_METHODS = ["GET", "HEAD", "OPTIONS"]


class OperationRequest(HttpRequest):
    """What `operation_page` adds to a request, for type checkers and readers."""

    operation: Operation
    role: str
    permissions: frozenset[Permission]


def operation_page(permission: Permission = Permission.VIEW) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, op: str, *args, **kwargs) -> HttpResponse:
            access = operation_access(request.user, op)
            if access is None:
                raise Http404
            if permission == Permission.VIEW and request.method not in SAFE_METHODS:
                # A page anyone in the operation may see only reads: it takes no POST, so
                # "viewers change nothing" holds by construction, not by each view's care.
                return HttpResponseNotAllowed(SAFE_METHODS)
            if permission not in access.permissions:
                raise PermissionDenied
            request.operation, request.role = access.operation, access.role
            request.permissions = access.permissions
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def operation_context(request: HttpRequest) -> dict:
    """Template context: the current operation, what the user may do, and where else they work."""
    operation = getattr(request, "operation", None)
    if operation is None:
        return {}
    return {
        "operation": operation,
        "role": request.role,
        "role_label": Role(request.role).label,
        "can": {p.value: p in request.permissions for p in Permission},
        "my_operations": list(
            operations_visible_to(request.user)
            .filter(status=Operation.Status.ACTIVE)
            .only("slug", "name")
        ),
    }
