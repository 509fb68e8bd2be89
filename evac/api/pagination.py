from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Pages that cost the same at row 100,000 as at row 1.

    A cursor is a position in the ordering (WHERE surname > '…'), not an OFFSET, so the
    database seeks in an index instead of counting past every earlier row. The price: no
    page numbers and no total count; follow `next` until it is null.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("pk",)

    def get_page_size(self, request) -> int:
        # DRF quietly falls back to the default for a bad page_size; an API should say so.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {"page_size": [_("A whole number from 1 to %d.") % self.max_page_size]}
            )
        return size

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # A position is compared with a column: a NUL in it can't reach PostgreSQL, whose
        # text can't hold one (psycopg refuses the query, which would be a 500). No cursor
        # Evac hands out holds one, so such a cursor is hand-made, and invalid.
        if cursor is not None and "\x00" in (cursor.position or ""):
            raise NotFound
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:  # DRF's answer to a cursor it can't read; it's bad input, not a 404
            raise ValidationError({"cursor": [_("This cursor is not valid.")]}) from None
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            # A hand-made cursor whose position is not a value of the ordering's column.
            raise ValidationError({"cursor": [_("This cursor is not valid.")]}) from None

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        # An ordering filter (the `ordering` parameter) decides where a view has one;
        # otherwise the view's own `ordering`, whose first field must be unique or nearly.
        if any(hasattr(b, "get_ordering") for b in getattr(view, "filter_backends", [])):
            return super().get_ordering(request, queryset, view)
        ordering = getattr(view, "ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)
