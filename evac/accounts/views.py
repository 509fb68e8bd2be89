"""The second factor: set it up, enter it, renew backup codes; and a coordinator's staff page."""

import math
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from evac.accounts import services
from evac.accounts.forms import CodeForm, MemberAddForm, MemberRoleForm
from evac.accounts.models import BackupCodeDevice
from evac.accounts.selectors import (
    authenticator_of,
    backup_codes_left,
    pending_authenticator_of,
    staff_of,
    two_factor_required,
)
from evac.core.clock import now
from evac.core.errors import Conflict
from evac.operations import services as operation_services
from evac.operations.access import Permission
from evac.operations.models import Membership, Role
from evac.operations.web import OperationRequest, operation_page


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else reverse("staff_home")


def _may_set_up(request: HttpRequest) -> bool:
    # Replacing an authenticator takes a session that has already passed the current one;
    # otherwise a stolen password alone could swap in the thief's phone.
    return authenticator_of(request.user) is None or request.user.is_verified()


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if not _may_set_up(request):
        return redirect(f"{reverse('two_factor:verify')}?{request.GET.urlencode()}")
    device = services.authenticator_start(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = services.authenticator_confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error("code", _("That code didn't match. Check the phone's clock and try again."))
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": _next_url(request),
            "required": two_factor_required(request.user),
        },
    )


@never_cache
@login_required
def setup_qr(request: HttpRequest) -> HttpResponse:
    """The new authenticator's secret as a QR code, for the phone's camera."""
    device = pending_authenticator_of(request.user)
    if device is None or not _may_set_up(request):
        raise Http404
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next_url(request))
    if authenticator_of(request.user) is None:
        return redirect(f"{reverse('two_factor:setup')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        result = services.second_factor_verify(request, form.cleaned_data["code"])
        if isinstance(result.device, BackupCodeDevice):
            left = backup_codes_left(request.user)
            messages.warning(request, _("Backup code used: %(left)d left.") % {"left": left})
        if result.device is not None:
            return redirect(_next_url(request))
        if result.retry_after is not None:
            seconds = max(1, math.ceil((result.retry_after - now()).total_seconds()))
            form.add_error(
                "code",
                _("Too many wrong codes. Try again in %(seconds)d seconds.") % {"seconds": seconds},
            )
        else:
            form.add_error("code", _("That code didn't work. Try the current one."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """One's own second factor: what is set up, new backup codes."""
    if request.method == "POST" and request.user.is_verified():
        codes = services.backup_codes_renew(request.user)
        return render(
            request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("staff_home")}
        )
    return render(
        request,
        "accounts/security.html",
        {
            "authenticator": authenticator_of(request.user),
            "backup_codes_left": backup_codes_left(request.user),
            "required": two_factor_required(request.user),
        },
    )


def _lockout_terms() -> dict[str, int]:
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def locked_out(request: HttpRequest, credentials: dict | None = None) -> HttpResponse:
    """What django-axes answers to a login while the account or the address is locked."""
    return render(request, "registration/locked_out.html", _lockout_terms(), status=429)


@operation_page(Permission.MANAGE_STAFF)
def staff_list(request: OperationRequest) -> HttpResponse:
    return staff_page(request, MemberAddForm())


def staff_page(request: OperationRequest, add_form: MemberAddForm, status: int = 200):
    """The Staff page; with a form that didn't go through, its errors and what was typed."""
    context = {
        "staff": staff_of(request.operation, reader=request.user),
        "nav": "staff",
        "add_form": add_form,
        "roles": Role.choices,
        **_lockout_terms(),
    }
    return render(request, "accounts/staff.html", context, status=status)


@operation_page(Permission.MANAGE_MEMBERS)
@require_POST
def staff_set_role(request: OperationRequest, membership_id: int) -> HttpResponse:
    membership = member_of(request, membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("staff:list", op=request.operation.slug)
    try:
        operation_services.member_set_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except Conflict as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {"user": membership.user, "role": membership.get_role_display()},
        )
    return redirect("staff:list", op=request.operation.slug)


@operation_page(Permission.MANAGE_MEMBERS)
@require_POST
def staff_remove(request: OperationRequest, membership_id: int) -> HttpResponse:
    membership = member_of(request, membership_id)
    try:
        operation_services.member_remove(membership=membership, by=request.user)
    except Conflict as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(user)s is no longer a member of this operation.") % {"user": membership.user},
        )
    return redirect("staff:list", op=request.operation.slug)


@operation_page(Permission.MANAGE_STAFF)
@require_POST
def staff_unlock(request: OperationRequest, membership_id: int) -> HttpResponse:
    membership = member_of(request, membership_id)
    services.staff_unlock(by=request.user, membership=membership)
    messages.success(request, _("%(user)s can log in again.") % {"user": membership.user})
    return redirect("staff:list", op=request.operation.slug)


@operation_page(Permission.MANAGE_STAFF)
@require_POST
def staff_reset_two_factor(request: OperationRequest, membership_id: int) -> HttpResponse:
    membership = member_of(request, membership_id)
    try:
        services.staff_reset_two_factor(by=request.user, membership=membership)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return redirect("staff:list", op=request.operation.slug)
    messages.success(
        request,
        _("%(user)s will set up a new authenticator at their next login.")
        % {"user": membership.user},
    )
    return redirect("staff:list", op=request.operation.slug)


def member_of(request: OperationRequest, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "operation"),
        pk=membership_id,
        operation=request.operation,
    )
