"""Messages to people, read-only: they are written by evac.notifications' own services."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import serializers as s
from evac.api.filters import NotificationFilter, OperationFilterBackend
from evac.api.views.base import OperationView
from evac.notifications.models import Notification
from evac.notifications.selectors import outbox


@extend_schema(tags=["notifications"])
class NotificationList(OperationView):
    serializer_class = s.NotificationSerializer
    filter_backends = [OperationFilterBackend]
    filterset_class = NotificationFilter
    ordering = ("-due_at", "-pk")

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Notification.objects.none()
        return outbox(self.operation).defer(None).select_related("citizen", "flight")

    @extend_schema(responses=s.NotificationSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """The operation's messages, latest due first."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
