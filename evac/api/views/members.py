"""An operation's members: who works in it with which role. Coordinators only."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from evac.accounts.services import staff_reset_two_factor, staff_unlock
from evac.api import member_serializers as s
from evac.api.views.base import OperationView, valid_data
from evac.notifications.invitations import invitation_send, invitation_take_back, member_invite
from evac.operations.access import Permission
from evac.operations.models import Membership, Role
from evac.operations.services import member_remove, member_set_role


class MemberView(OperationView):
    # The list of staff is the coordinator's, as on the Staff page.
    read_permission = Permission.MANAGE_MEMBERS
    write_permission = Permission.MANAGE_MEMBERS

    def get_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.filter(operation=self.operation).select_related(
            "user", "operation"
        )

    def get_member(self, pk: int) -> Membership:
        membership = self.get_queryset().filter(pk=pk).first()
        if membership is None:
            raise NotFound(_("No such member."))
        return membership


@extend_schema(tags=["members"])
class MemberList(MemberView):
    serializer_class = s.MemberSerializer
    pagination_class = None  # a crisis team, not a registry

    @extend_schema(responses=s.MemberSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """Everyone who works in the operation, with their role."""
        members = self.get_queryset().order_by("role", "user__username")
        return Response(s.MemberSerializer(members, many=True).data)

    @extend_schema(request=s.MemberCreateSerializer, responses={201: s.NewMemberSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Add a person with a role: an existing account by its username, or a new account
        (`new_account` in the answer), which needs an e-mail address: it gets an invitation
        link there to set its own password, then its second step. 409 when the person is
        already a member."""
        data = valid_data(s.MemberCreateSerializer, request.data)
        membership, created = member_invite(
            operation=self.operation,
            by=request.user,
            site_url=request.build_absolute_uri("/"),
            **data,
        )
        membership.new_account = created
        return Response(s.NewMemberSerializer(membership).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["members"])
class MemberDetail(MemberView):
    serializer_class = s.MemberSerializer

    def get(self, request: Request, op: str, pk: int) -> Response:
        return Response(s.MemberSerializer(self.get_member(pk)).data)

    # The role is required: a PATCH here changes the one thing it can, so the schema must
    # not call it optional (drf-spectacular makes every field of a PATCH body optional).
    # Nothing else is taken, and the schema says so: where it left other keys open,
    # Schemathesis 4.32 checked the values of keys it added against this whole schema
    # ({"role": …, "error": {"fields": {}}} "misses role" inside "error") and called a
    # body the API rightly took invalid.
    @extend_schema(
        request={
            "application/json": {
                "type": "object",
                "properties": {"role": {"type": "string", "enum": list(Role.values)}},
                "required": ["role"],
                "additionalProperties": False,
            }
        },
        responses={200: s.MemberSerializer},
    )
    def patch(self, request: Request, op: str, pk: int) -> Response:
        """Change the member's role. 409 for the operation's last coordinator."""
        membership = self.get_member(pk)
        data = valid_data(s.MemberRoleSerializer, request.data)
        others = sorted(set(request.data) - {"role"}) if isinstance(request.data, dict) else []
        if others:
            raise ValidationError({name: [_("Only the role can be changed.")] for name in others})
        membership = member_set_role(membership=membership, role=data["role"], by=request.user)
        return Response(s.MemberSerializer(membership).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, op: str, pk: int) -> Response:
        """Take the member out of the operation: they lose it at once. 409 for the last
        coordinator."""
        member_remove(membership=self.get_member(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["members"])
class MemberInvitation(MemberView):
    """A member's invitation link, for an account that has no password yet. The link itself
    goes only to the member's e-mail: no answer here carries it."""

    serializer_class = s.InvitationSerializer

    @extend_schema(request=None, responses={201: s.InvitationSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Send the member a new invitation by e-mail; an earlier link stops working. 409
        when the account already has a password, 400 when it has no e-mail address."""
        membership = self.get_member(pk)
        invitation_send(
            membership=membership, by=request.user, site_url=request.build_absolute_uri("/")
        )
        invitation = membership.user.invitations.order_by("-created_at").first()
        return Response(s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, op: str, pk: int) -> Response:
        """Take back the member's open invitation: its link stops working."""
        invitation_take_back(membership=self.get_member(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["members"])
class MemberUnlock(MemberView):
    # As the Staff page: lifting a lockout is managing the staff's logins.
    write_permission = Permission.MANAGE_STAFF
    serializer_class = s.MemberSerializer  # no body; OPTIONS describes the member

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Let a member locked out after too many failed logins try again: their failed
        logins are forgotten. 403 for an administrator's or a headquarters member's
        account, which only an administrator unlocks."""
        staff_unlock(membership=self.get_member(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["members"])
class MemberSecondStepReset(MemberView):
    write_permission = Permission.MANAGE_STAFF
    serializer_class = s.MemberSerializer

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Forget a member's authenticator and backup codes (a lost phone): they set up a
        new one at their next login. 403 for an administrator's account, or a member who
        also works in an operation the caller does not coordinate."""
        staff_reset_two_factor(membership=self.get_member(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
