"""The second factor, enforced on every staff URL.

A logged-in user who must use two factors (see `selectors.two_factor_required`), or who has
set one up, reaches no page past this middleware until the session has passed it: they are
sent to enter a code, or to set up an authenticator if they have none. Rather than list the
staff URLs, it lists the few that are not staff pages (`OPEN_URL_NAMES`, the portal): a new
staff page is covered without anyone remembering to cover it.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from evac.accounts.selectors import authenticator_of, two_factor_required

# Pages a logged-in user must reach before the second factor, or that show no staff data.
OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "healthz",
        "portal_index",
        "two_factor:setup",
        "two_factor:setup_qr",
        "two_factor:verify",
        # A new staff member's set-password page: public, behind its own token.
        "invitation",
        # The API's description, public like the portal.
        "api:schema",
        "api:docs",
    }
)
# The public citizen portal: nothing there depends on who is logged in.
OPEN_NAMESPACES = frozenset({"portal"})


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match.view_name in OPEN_URL_NAMES or OPEN_NAMESPACES & set(match.namespaces):
            return None
        has_authenticator = authenticator_of(user) is not None
        if not has_authenticator and not two_factor_required(user):
            return None
        if "api" in match.namespaces:
            return JsonResponse(
                {
                    "error": {
                        "code": "second_factor_required",
                        "message": _("Enter your second-factor code on the staff pages first."),
                        "fields": {},
                    }
                },
                status=403,
            )
        target = "two_factor:verify" if has_authenticator else "two_factor:setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
