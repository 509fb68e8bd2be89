"""Headquarters inviting headquarters (notifications.invitations.headquarters_invite), as on
the Headquarters page: a new colleague gets a link by e-mail, and the role once they use it."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from evac.accounts.invitations import headquarters_invitations_open
from evac.accounts.models import Invitation
from evac.api.fields import OptionalEmailField, StrictCharField
from evac.api.views.base import ApiView, valid_data
from evac.notifications.invitations import headquarters_invite
from evac.operations.access import require_headquarters


class HeadquartersInviteSerializer(serializers.Serializer):
    """An account without a password yet, by its username, or a new one."""

    username = StrictCharField(max_length=150)
    email = OptionalEmailField(required=False, allow_blank=True, default="")
    first_name = StrictCharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = StrictCharField(max_length=150, required=False, allow_blank=True, default="")


class HeadquartersInvitationSerializer(serializers.ModelSerializer):
    """Who is invited, when it was sent and until when its link works; never the link."""

    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Invitation
        fields = ["username", "created_at", "expires_at"]
        read_only_fields = fields


class NewHeadquartersInvitationSerializer(HeadquartersInvitationSerializer):
    new_account = serializers.BooleanField(read_only=True)

    class Meta(HeadquartersInvitationSerializer.Meta):
        fields = [*HeadquartersInvitationSerializer.Meta.fields, "new_account"]
        read_only_fields = fields


@extend_schema(tags=["headquarters"])
class HeadquartersInvitations(ApiView):
    """Invitations to headquarters. Headquarters only (403 for anyone else)."""

    serializer_class = HeadquartersInvitationSerializer
    ordering = ("-created_at", "-pk")

    def get_queryset(self) -> QuerySet[Invitation]:
        return headquarters_invitations_open()

    @extend_schema(responses=HeadquartersInvitationSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The invitations to headquarters whose links still work, newest first."""
        require_headquarters(request.user)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=HeadquartersInviteSerializer,
        responses={201: NewHeadquartersInvitationSerializer},
    )
    def post(self, request: Request) -> Response:
        """Invite a person to headquarters by e-mail: a new account (`new_account`), which
        needs an e-mail address, or one with no password yet (its earlier link stops
        working). They join headquarters when they set their password from the link, then
        set up their second step. 409 when the account has a password or is already at
        headquarters."""
        require_headquarters(request.user)
        data = valid_data(HeadquartersInviteSerializer, request.data)
        user, created = headquarters_invite(
            by=request.user, site_url=request.build_absolute_uri("/"), **data
        )
        invitation = headquarters_invitations_open().filter(user=user).first()
        invitation.new_account = created
        return Response(
            NewHeadquartersInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED
        )
