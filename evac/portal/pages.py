"""What every page of an operation's portal starts and ends with: the operation (404 if it is
not public), spoken to in its languages, and the page rendered with it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from evac.operations.models import Operation
from evac.portal import selectors


def operation_or_404(op: str, request: HttpRequest) -> Operation:
    operation = selectors.public_operation(op)
    if operation is None:
        raise Http404
    speak_its_languages(request, operation)
    return operation


def speak_its_languages(request: HttpRequest, operation: Operation) -> None:
    """An operation's portal speaks only the operation's languages: a visitor whose cookie
    or browser asks for another reads it in the operation's first (its default)."""
    offered = operation.written_languages()
    if (translation.get_language() or "")[:2] not in offered:
        translation.activate(offered[0])
        request.LANGUAGE_CODE = offered[0]


def render_page(
    request: HttpRequest,
    operation: Operation | None,
    template: str,
    context: dict,
    status: int = 200,
) -> HttpResponse:
    # The language switch offers the operation's languages (every one on the index).
    languages = operation.written_languages() if operation is not None else None
    context = {"public_operation": operation, "portal_languages": languages, **context}
    return render(request, template, context, status=status)
