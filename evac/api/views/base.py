"""The one door from an API URL to an operation's data, as evac/operations/web.py is for pages.

Every view of an operation lives under /api/v1/operations/<slug>/ and derives from
`OperationView`: it needs a signed-in user (401 otherwise), answers 404 to anyone who is not
a member (so the API does not even confirm the operation exists), and 403 to a member whose
role lacks the permission the method needs. The services check the permission again; this
early check is what makes a viewer's invalid write a 403 rather than a 400.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from evac.api.authentication import TokenAuthentication
from evac.api.pagination import Cursor
from evac.api.parsers import StrictJSONParser
from evac.api.throttling import TokenRateThrottle
from evac.audit.models import AccessAction, AccessObjectKind
from evac.audit.services import access_log_record
from evac.core.requests import caller_of
from evac.flights.models import Flight, GroundTransfer
from evac.operations.access import Permission, operation_access
from evac.operations.models import Operation
from evac.people.import_models import PeopleImport
from evac.people.models import Citizen


class ApiView(GenericAPIView):
    # Token first: its WWW-Authenticate header makes an anonymous call a 401, not a 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle]
    parser_classes = [StrictJSONParser]
    pagination_class = Cursor


class OperationView(ApiView):
    # What a method needs: reads need VIEW (or what a view names, e.g. whole documents);
    # a view that writes names its permission.
    read_permission: Permission = Permission.VIEW
    write_permission: Permission | None = None

    operation: Operation
    role: str
    permissions: frozenset[Permission]

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authentication, throttling
        access = operation_access(request.user, kwargs.get("op", ""))
        if access is None:
            raise exceptions.NotFound(_("No such operation."))
        self.operation, self.role, self.permissions = (
            access.operation,
            access.role,
            access.permissions,
        )
        needed = self.read_permission if request.method in SAFE_METHODS else self.write_permission
        if needed is None or needed not in self.permissions:
            raise exceptions.PermissionDenied(_("Your role in this operation does not allow this."))

    def log_access(
        self,
        request: Request,
        subject: Citizen | Flight | GroundTransfer | PeopleImport,
        action: AccessAction,
    ) -> None:
        """The access log's row for showing `subject` (a person's record, a manifest, or an
        import's rows in error)."""
        if isinstance(subject, Citizen):
            kind, label = AccessObjectKind.PERSON, subject.reference
        elif isinstance(subject, PeopleImport):  # as the import page labels it
            kind, label = AccessObjectKind.IMPORT, f"import {subject.pk}"
        elif isinstance(subject, GroundTransfer):
            kind, label = AccessObjectKind.TRANSFER, subject.record_label
        else:
            kind, label = AccessObjectKind.FLIGHT, subject.record_label
        access_log_record(
            caller=caller_of(request),
            operation=self.operation,
            action=action,
            kind=kind,
            object_id=subject.pk,
            label=label,
        )


class FileView(OperationView):
    """A file download: errors are JSON whatever the client accepts; the file itself is a
    plain HttpResponse (evac.core.responses.file_response)."""

    # No HEAD: it would build the file, yet the access log skips HEAD requests
    # (audit.services), so the copy would leave no trace of who took it.
    http_method_names = ["get", "options"]

    def perform_content_negotiation(self, request: Request, force: bool = False):
        return JSONRenderer(), JSONRenderer.media_type


def valid_data(serializer_class: type[Serializer], data, **kwargs) -> dict:
    """The validated input, or a 400 naming each field that is wrong."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@csrf_exempt  # nothing here to protect; a CSRF refusal would be an HTML page
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other URL under /api/v1/: a 404 in the API's error shape, not Django's HTML page."""
    body = {"code": "not_found", "message": _("There is nothing at this address."), "fields": {}}
    return JsonResponse({"error": body}, status=404)
