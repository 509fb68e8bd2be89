from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from evac.api.authentication import is_token_request


class TokenRateThrottle(SimpleRateThrottle):
    """Limits each token (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]).

    Browser sessions are people clicking and are not limited. The counts live in Django's
    cache, which is per process unless CACHES points at a shared cache: with N web
    processes a token gets up to N times the rate.
    """

    scope = "token"

    def get_cache_key(self, request: Request, view) -> str | None:
        if not is_token_request(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
