"""Who is calling: a browser with its session (and CSRF token), or a system with a token.

A token is sent as `Authorization: Bearer <key>` (`Token <key>` is accepted too, as DRF's
own token scheme spells it). An unknown or revoked key is refused with 401, never treated
as anonymous, so a misconfigured integration fails loudly.
"""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from evac.api.models import ApiToken
from evac.api.services import api_token_for_key

SCHEMES = {b"bearer", b"token"}


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Bearer <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from None
        token = api_token_for_key(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This API key is not valid or was revoked."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 to anonymous calls.
        return self.keyword


def is_token_request(request: Request) -> bool:
    return isinstance(request.auth, ApiToken)
