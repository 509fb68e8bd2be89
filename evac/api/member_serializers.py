"""The API's shapes for an operation's members (evac.operations.services writes them)."""

from rest_framework import serializers

from evac.accounts.models import Invitation
from evac.api.fields import OptionalEmailField, StrictCharField, StrictChoiceField
from evac.operations.models import Membership, Role


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "name", "role"]
        read_only_fields = fields


class MemberCreateSerializer(serializers.Serializer):
    """An account already in Evac, by its username, or a new one (it has no password until
    its owner sets one)."""

    username = StrictCharField(max_length=150)
    role = StrictChoiceField(choices=Role.choices)
    email = OptionalEmailField(required=False, allow_blank=True, default="")
    first_name = StrictCharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = StrictCharField(max_length=150, required=False, allow_blank=True, default="")


class NewMemberSerializer(MemberSerializer):
    new_account = serializers.BooleanField(read_only=True)

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "new_account"]
        read_only_fields = fields


class MemberRoleSerializer(serializers.Serializer):
    role = StrictChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    """When an invitation was sent and until when its link works; never the link."""

    class Meta:
        model = Invitation
        fields = ["created_at", "expires_at"]
        read_only_fields = fields
