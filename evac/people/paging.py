"""Keyset paging for long lists: the next page starts after the last row shown, not at an
offset, so page 1,000 reads 50 rows as page 1 does rather than skipping 49,950.

A page link carries the row it starts after (`after=<pk>`) or ends before (`before=<pk>`,
or `before=end` for the last page) and the page's number, which is only shown ("page 12 of
2,000"). A plain `page=N` (an old link) still works, by offset. The list's own ORDER BY,
which must end with the primary key, says what "after" means; a column ordered with
explicit NULLS FIRST/LAST may hold NULLs, the others may not.
"""

from dataclasses import dataclass
from math import ceil
from typing import Any

from django.db.models import F, OrderBy, Q, QuerySet


@dataclass(frozen=True)
class _Column:
    name: str
    descending: bool
    nulls_first: bool | None  # None: the column holds no NULLs

    def reversed(self) -> "_Column":
        nulls = None if self.nulls_first is None else not self.nulls_first
        return _Column(self.name, not self.descending, nulls)

    def equal(self, value: Any) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def beyond(self, value: Any) -> Q:
        """Rows that come after `value` in this column's order."""
        if value is None:
            return Q(**{f"{self.name}__isnull": False}) if self.nulls_first else Q(pk__in=[])
        after = Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})
        if self.nulls_first is False:
            after |= Q(**{f"{self.name}__isnull": True})
        return after

    def from_on(self, value: Any) -> Q:
        """A looser condition an index can start its range at; none for NULL-holding columns."""
        if value is None or self.nulls_first is not None:
            return Q()
        return Q(**{f"{self.name}__{'lte' if self.descending else 'gte'}": value})


def _columns(rows: QuerySet) -> list[_Column]:
    columns = []
    for item in rows.query.order_by:
        if isinstance(item, str):
            name = item.lstrip("-")
            columns.append(_Column("pk" if name == "id" else name, item.startswith("-"), None))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            nulls = True if item.nulls_first else (False if item.nulls_last else None)
            columns.append(_Column(item.expression.name, item.descending, nulls))
        else:
            raise ValueError(f"keyset paging can't order by {item!r}")
    if not columns or columns[-1].name != "pk":
        raise ValueError("keyset paging needs an order that ends with the primary key")
    return columns


def _after(columns: list[_Column], values: dict[str, Any]) -> Q:
    found = Q(pk__in=[])
    for place, column in enumerate(columns):
        same = Q()
        for earlier in columns[:place]:
            same &= earlier.equal(values[earlier.name])
        found |= same & column.beyond(values[column.name])
    return columns[0].from_on(values[columns[0].name]) & found


@dataclass
class KeysetPage:
    """What a template asks a Django Page, plus the rows its Next and Previous start from."""

    object_list: list
    number: int
    count: int
    per_page: int

    @property
    def paginator(self) -> "KeysetPage":
        return self  # .paginator.count and .paginator.num_pages, as a Page has them

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.count / self.per_page))

    def has_previous(self) -> bool:
        return self.number > 1 and bool(self.object_list)

    def has_next(self) -> bool:
        return self.number < self.num_pages and bool(self.object_list)

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def first_pk(self) -> int | None:
        return self.object_list[0].pk if self.object_list else None

    @property
    def last_pk(self) -> int | None:
        return self.object_list[-1].pk if self.object_list else None


def _number(text: str | None, default: int) -> int:
    try:
        return max(1, int(text or default))
    except ValueError:
        return default


def keyset_page(
    rows: QuerySet, params: dict, *, per_page: int, count: int | None = None
) -> KeysetPage:
    """The page of `rows` that `params` (a request's GET) asks for. `count`, when the caller
    knows it without counting, saves the COUNT."""
    if count is None:
        count = rows.count()
    number = _number(params.get("page"), 1)
    after, before = params.get("after"), params.get("before")
    cursor = before or after
    columns = _columns(rows)
    if before == "end":
        shown = list(rows.reverse()[:per_page])
        shown.reverse()
        last = KeysetPage([], 1, count, per_page).num_pages
        return KeysetPage(shown, last, count, per_page)
    values = None
    if cursor and cursor.isdigit():
        names = [column.name for column in columns]
        # Looked up in the list itself: a row of another operation, or one the filters
        # leave out, must not place its values among these rows.
        values = rows.filter(pk=int(cursor)).values(*names).first()
    if values is None:  # no cursor, or its row is gone: by offset
        offset = (min(number, max(1, ceil(count / per_page))) - 1) * per_page
        shown = list(rows[offset : offset + per_page])
        return KeysetPage(shown, offset // per_page + 1, count, per_page)
    if before:
        backwards = [column.reversed() for column in columns]
        shown = list(rows.reverse().filter(_after(backwards, values))[:per_page])
        shown.reverse()
    else:
        shown = list(rows.filter(_after(columns, values))[:per_page])
    return KeysetPage(shown, number, count, per_page)
