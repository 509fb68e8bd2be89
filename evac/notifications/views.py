"""Staff pages for messages: the outbox, retry and cancel, and the broadcast form.

Every view is wrapped in `operation_page` and leaves every write to the services.
"""

from uuid import uuid4

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from evac.core.errors import Conflict
from evac.notifications import broadcasts, selectors, services
from evac.notifications.forms import BroadcastForm, OutboxFilterForm
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page

MESSAGES_PER_PAGE = 50


@operation_page(Permission.VIEW)
@require_safe
def outbox(request: OperationRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None, operation=request.operation)
    filters = form.cleaned_data if form.is_valid() else {}
    flight = filters.get("flight")
    rows = selectors.outbox(
        request.operation,
        status=filters.get("status", ""),
        channel=filters.get("channel", ""),
        kind=filters.get("kind", ""),
        flight_id=flight.pk if flight else None,
    )
    page = Paginator(rows, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/outbox.html",
        {"nav": "messages", "form": form, "page": page, "query": query.urlencode()},
    )


def _back(request: OperationRequest) -> HttpResponse:
    """To the page the button was on (the outbox, a person's page, a manifest)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:outbox", request.operation.slug)


@operation_page(services.SEND_MESSAGES)
@require_POST
def retry(request: OperationRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(request.operation.notifications, pk=pk)
    try:
        services.notification_retry(notification=notification, by=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The message to %(to)s will be sent again.") % {"to": notification.to_address},
        )
    return _back(request)


@operation_page(services.SEND_MESSAGES)
@require_POST
def cancel(request: OperationRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(request.operation.notifications, pk=pk)
    try:
        services.notification_cancel(notification=notification, by=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The message to %(to)s is cancelled.") % {"to": notification.to_address}
        )
    return _back(request)


@operation_page(services.SEND_MESSAGES)
def broadcast(request: OperationRequest) -> HttpResponse:
    """GET: the form. POST: the preview (who and how it reads); POST with confirm: send."""
    form = BroadcastForm(request.POST or None, operation=request.operation)
    preview = None
    if request.method == "POST" and form.is_valid():
        arguments = {
            "operation": request.operation,
            "by": request.user,
            "texts": form.texts(),
            **form.target(),
        }
        try:
            if request.POST.get("confirm") and request.POST.get("token"):
                sent = broadcasts.broadcast_send(**arguments, token=request.POST["token"][:64])
                messages.success(
                    request,
                    ngettext(
                        "%(n)d message is on its way.",
                        "%(n)d messages are on their way.",
                        sent.messages,
                    )
                    % {"n": sent.messages},
                )
                return redirect("notifications:outbox", request.operation.slug)
            preview = broadcasts.broadcast_preview(**arguments)
        except broadcasts.BroadcastAlreadySent as error:
            messages.info(request, error.message)
            return redirect("notifications:outbox", request.operation.slug)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(
        request,
        "notifications/broadcast.html",
        {"nav": "messages", "form": form, "preview": preview, "token": uuid4().hex},
    )
