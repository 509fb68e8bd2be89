from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import token_serializers as s
from evac.api.authentication import is_token_request
from evac.api.models import ApiToken
from evac.api.services import api_token_create, api_token_revoke
from evac.api.views.base import ApiView, valid_data


@extend_schema(tags=["tokens"])
class TokenList(ApiView):
    """Your API tokens. A token acts as you, with your roles in your operations."""

    serializer_class = s.ApiTokenSerializer
    ordering = ("-created_at", "-pk")

    def get_queryset(self) -> QuerySet[ApiToken]:
        return ApiToken.objects.filter(user=self.request.user, revoked_at__isnull=True)

    @extend_schema(responses=s.ApiTokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Your tokens that are not revoked, newest first (keys are never shown again)."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={201: s.NewApiTokenSerializer})
    def post(self, request: Request) -> Response:
        """Create a token. Only from a signed-in browser session (a token can't make more),
        e.g. with "Try it out" on /api/docs/. The key is in this answer and nowhere else."""
        if is_token_request(request):
            raise PermissionDenied(_("Create tokens while signed in, not with a token."))
        data = valid_data(s.ApiTokenSerializer, request.data)
        token, key = api_token_create(user=request.user, name=data["name"], by=request.user)
        token.key = key
        return Response(s.NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["tokens"])
class TokenDetail(ApiView):
    serializer_class = s.ApiTokenSerializer

    def get_token(self, pk: int) -> ApiToken:
        token = self.get_queryset().filter(pk=pk).first()
        if token is None:
            raise NotFound(_("No such token."))
        return token

    def get_queryset(self) -> QuerySet[ApiToken]:
        return ApiToken.objects.filter(user=self.request.user, revoked_at__isnull=True)

    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ApiTokenSerializer(self.get_token(pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        """Revoke the token: from now on its key is refused."""
        api_token_revoke(token=self.get_token(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
