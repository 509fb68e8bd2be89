"""A file handed to the browser or an API client: the one way Evac sends a download."""

from django.http import HttpResponse


def file_response(*, content: bytes, content_type: str, filename: str) -> HttpResponse:
    """An attachment that no cache keeps (manifests hold passport data)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
