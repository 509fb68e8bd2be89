"""The staff pages are in English, Ukrainian and Russian; so is the citizen portal.

LocaleMiddleware picks the language from the cookie the language switches set, else from the
browser. A staff page asked for in a language it isn't written in (one the portal may gain
before the staff pages do) is served in English rather than half translated; the portal,
the API and Django's admin keep the language LocaleMiddleware chose.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

STAFF_LANGUAGES = ("en", "uk", "ru")
# Not staff pages: the portal has Russian; the API and the admin speak for themselves.
OTHER_NAMESPACES = frozenset({"portal", "api", "admin"})
OTHER_URL_NAMES = frozenset({"portal_index", "set_language"})


class StaffPagesLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> None:
        if translation.get_language() in STAFF_LANGUAGES:
            return
        match = request.resolver_match
        if match.view_name in OTHER_URL_NAMES or OTHER_NAMESPACES & set(match.namespaces):
            return
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
