"""The notifications resource, apart so the API works while evac.notifications is absent."""

import django_filters
from rest_framework import serializers

from evac.notifications.models import Notification
from evac.notifications.privacy import may_read_body, shown_address
from evac.people.reference import normalize_reference_code


class NotificationSerializer(serializers.ModelSerializer):
    citizen = serializers.CharField(source="citizen.reference", read_only=True, allow_null=True)
    staff_user = serializers.CharField(
        source="staff_user.username", read_only=True, allow_null=True
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "channel",
            "language",
            "citizen",
            "staff_user",
            "flight",
            "booking",
            "to_address",
            # null for a role that may not read this kind of message.
            "subject",
            "body",
            "status",
            "due_at",
            "sent_at",
            "attempts",
            "last_error",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, notification: Notification) -> dict:
        """Subject and text only for a role that may read this kind, the address masked
        otherwise (evac/notifications/privacy.py); a one-time code is masked for everybody."""
        data = super().to_representation(notification)
        view = self.context.get("view")
        permissions = getattr(view, "permissions", frozenset())
        if not may_read_body(notification.kind, permissions):
            data["subject"] = data["body"] = None
        data["to_address"] = shown_address(notification, permissions)
        return data


class NotificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Notification.Status.choices)
    channel = django_filters.ChoiceFilter(choices=Notification.Channel.choices)
    kind = django_filters.ChoiceFilter(choices=Notification.Kind.choices)
    flight = django_filters.NumberFilter(field_name="flight_id")
    citizen = django_filters.CharFilter(
        method="filter_citizen", max_length=20, help_text="Reference code of the person."
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_citizen(self, messages, name: str, code: str):
        return messages.filter(citizen__reference_code=normalize_reference_code(code))
