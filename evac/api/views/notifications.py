"""Messages to people: the outbox (evac.notifications' services write it); a failed
message sent again or a waiting one cancelled, as the outbox page's buttons do; and
broadcasts, previewed and sent through evac.notifications.broadcasts as the staff page
does."""

from uuid import uuid4

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import broadcast_serializers as b
from evac.api import serializers as s
from evac.api.filters import NotificationFilter, OperationFilterBackend
from evac.api.views.base import OperationView, valid_data
from evac.flights.models import Flight
from evac.notifications import broadcasts
from evac.notifications.compose import ALL_LANGUAGES
from evac.notifications.models import Notification
from evac.notifications.selectors import outbox
from evac.notifications.services import SEND_MESSAGES, notification_cancel, notification_retry
from evac.places.models import City


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


@extend_schema(tags=["notifications"])
class BroadcastCreate(OperationView):
    # As the staff page: whoever may send messages (officers, coordinators).
    write_permission = SEND_MESSAGES
    serializer_class = b.BroadcastSerializer
    pagination_class = None

    @extend_schema(
        request=b.BroadcastSerializer,
        responses={200: b.BroadcastPreviewSerializer, 201: b.BroadcastSentSerializer},
    )
    def post(self, request: Request, op: str) -> Response:
        """A message to everyone holding a seat on a flight, or waiting in a city. First
        with `"preview": true` (200): nothing is written; the answer counts the messages a
        send writes and shows how each language's SMS reads, with the token to send it
        with. Then the same body with that token (201): one message per person, in their
        language on their channel. 400 on `text` when a language the audience reads has no
        text or the SMS is too long; 409 when that token was already sent in this
        operation (another operation's tokens are never looked at)."""
        data = valid_data(b.BroadcastSerializer, request.data)
        arguments = {
            "operation": self.operation,
            "by": request.user,
            "texts": {ALL_LANGUAGES: data.get("text", ""), **data.get("texts", {})},
            **self._audience(data),
        }
        if data["preview"]:
            preview = broadcasts.broadcast_preview(**arguments)
            body = {
                "token": uuid4().hex,
                "count": preview.count,
                "by_sms": preview.by_sms,
                "by_email": preview.by_email,
                "without_contact": len(preview.without_contact),
                "samples": preview.samples,
            }
            return Response(b.BroadcastPreviewSerializer(body).data)
        sent = broadcasts.broadcast_send(**arguments, token=data["token"])
        return Response(b.BroadcastSentSerializer(sent).data, status=status.HTTP_201_CREATED)

    def _audience(self, data: dict) -> dict:
        """The flight or the city, as the staff page's form offers them."""
        if "flight" in data:
            flight = (
                self.operation.flights.exclude(
                    status__in=[Flight.Status.CANCELLED, Flight.Status.LANDED]
                )
                .filter(pk=data["flight"])
                .first()
            )
            if flight is None:
                raise ValidationError({"flight": [_("No such flight in this operation.")]})
            return {"flight": flight, "city": None}
        city = City.objects.filter(pk=data["city"]).first()
        if city is None:
            raise ValidationError({"city": [_("No such city.")]})
        return {"flight": None, "city": city}


class NotificationAction(OperationView):
    # As the outbox page's buttons: whoever may send messages (officers, coordinators).
    write_permission = SEND_MESSAGES
    serializer_class = s.NotificationSerializer
    pagination_class = None

    def get_notification(self, pk: int) -> Notification:
        found = outbox(self.operation).defer(None).filter(pk=pk).first()
        if found is None:
            raise NotFound(_("No such message in this operation."))
        return found

    def answer(self, notification: Notification) -> Response:
        notification = outbox(self.operation).defer(None).get(pk=notification.pk)
        return Response(self.get_serializer(notification).data)


@extend_schema(tags=["notifications"])
class NotificationRetry(NotificationAction):
    @extend_schema(request=None, responses={200: s.NotificationSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Send a failed message again, now, with a fresh set of attempts, to the contact
        details the person has now. 409 unless the message failed."""
        notification = notification_retry(notification=self.get_notification(pk), by=request.user)
        return self.answer(notification)


@extend_schema(tags=["notifications"])
class NotificationCancel(NotificationAction):
    @extend_schema(request=None, responses={200: s.NotificationSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Cancel a message still waiting to go out. 409 once it went, failed or was
        cancelled."""
        notification = notification_cancel(notification=self.get_notification(pk), by=request.user)
        return self.answer(notification)
