"""Adding a member (a new account is invited by e-mail), sending a new invitation link and
taking one back, on an operation's Staff page (templates/accounts/staff.html)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evac.accounts.forms import MemberAddForm
from evac.accounts.views import member_of, staff_page
from evac.core.errors import Conflict
from evac.notifications.invitations import invitation_send, invitation_take_back, member_invite
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page


def _site(request: OperationRequest) -> str:
    return request.build_absolute_uri("/")


@operation_page(Permission.MANAGE_MEMBERS)
@require_POST
def staff_add(request: OperationRequest) -> HttpResponse:
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            membership, created = member_invite(
                operation=request.operation,
                by=request.user,
                site_url=_site(request),
                **form.cleaned_data,
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        except Conflict as refused:
            form.add_error("username", str(refused))
        else:
            said = _("%(user)s is now a member of this operation as %(role)s.") % {
                "user": membership.user,
                "role": membership.get_role_display(),
            }
            if created:
                said += " " + _("An invitation to set a password went to %(email)s.") % {
                    "email": membership.user.email
                }
            messages.success(request, said)
            return redirect("staff:list", op=request.operation.slug)
    return staff_page(request, form, status=400)


@operation_page(Permission.MANAGE_MEMBERS)
@require_POST
def staff_invite(request: OperationRequest, membership_id: int) -> HttpResponse:
    membership = member_of(request, membership_id)
    try:
        invitation_send(membership=membership, by=request.user, site_url=_site(request))
    except (Conflict, ValidationError) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
    else:
        messages.success(
            request,
            _("A new invitation went to %(email)s; the earlier link no longer works.")
            % {"email": membership.user.email},
        )
    return redirect("staff:list", op=request.operation.slug)


@operation_page(Permission.MANAGE_MEMBERS)
@require_POST
def staff_revoke_invitation(request: OperationRequest, membership_id: int) -> HttpResponse:
    membership = member_of(request, membership_id)
    invitation_take_back(membership=membership, by=request.user)
    messages.success(
        request, _("The invitation of %(user)s no longer works.") % {"user": membership.user}
    )
    return redirect("staff:list", op=request.operation.slug)
