"""Keyset ("seek") pagination: pages that cost the same on row 50 and row 500,000.

Offset pagination and its COUNT(*) grow with the table (see PERFORMANCE.md). Here a
page is "the next N rows after this row in this order", which an index on the sort
columns answers directly. The cursor in the URL is only the id of the boundary row;
its sort values are read back from the (already scoped) queryset, so no name or other
personal data ever appears in a URL.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from netlog.params import parse_id


@dataclass
class Page:
    object_list: list[Any]
    next_after: int | None  # id to pass as ?after= for the next page
    previous_before: int | None  # id to pass as ?before= for the previous page

    @property
    def has_next(self) -> bool:
        return self.next_after is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_before is not None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _seek(ordering: list[str], values: dict[str, Any], *, forward: bool) -> Q:
    """Rows strictly after (forward) or before the row with `values` in `ordering`.

    For ordering (a, b, id) forward this is: a > va OR (a = va AND b > vb) OR
    (a = va AND b = vb AND id > vid), with > and < swapped for descending fields.
    """
    condition = Q()
    equal = Q()
    for term in ordering:
        field = term.lstrip("-")
        condition |= equal & Q(**{f"{field}__{_op(term, forward)}": values[field]})
        equal &= Q(**{field: values[field]})
    # The same bound on the leading column, inclusive: redundant for the result, but it
    # is what lets the database seek straight to the page in the index instead of
    # filtering every row before it.
    lead = ordering[0].lstrip("-")
    return Q(**{f"{lead}__{_op(ordering[0], forward)}e": values[lead]}) & condition


def _op(term: str, forward: bool) -> str:
    ascending = not term.startswith("-")
    return "gt" if ascending == forward else "lt"


def keyset_page(
    queryset: QuerySet,
    *,
    ordering: list[str],
    after: str | None = None,
    before: str | None = None,
    per_page: int = 50,
) -> Page:
    """One page of `queryset` in `ordering`, which must end in a unique field (id).

    The ordering fields must not be nullable. An unknown or foreign cursor id gives the
    first page, since the anchor is looked up inside the scoped queryset.
    """
    fields = [term.lstrip("-") for term in ordering]
    anchor_id = parse_id(before) or parse_id(after)
    forward = not parse_id(before)
    anchor = queryset.filter(pk=anchor_id).values(*fields).first() if anchor_id else None

    if anchor is None:
        rows = list(queryset.order_by(*ordering)[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
        return Page(rows, rows[-1].pk if more else None, None)

    if forward:
        rows = list(
            queryset.filter(_seek(ordering, anchor, forward=True)).order_by(*ordering)[
                : per_page + 1
            ]
        )
        more = len(rows) > per_page
        rows = rows[:per_page]
        return Page(rows, rows[-1].pk if more and rows else None, rows[0].pk if rows else None)

    reverse = [term[1:] if term.startswith("-") else f"-{term}" for term in ordering]
    rows = list(
        queryset.filter(_seek(ordering, anchor, forward=False)).order_by(*reverse)[: per_page + 1]
    )
    if len(rows) <= per_page:  # reached the start: show a full first page instead
        return keyset_page(queryset, ordering=ordering, per_page=per_page)
    rows = rows[:per_page][::-1]
    return Page(rows, rows[-1].pk, rows[0].pk)


def page_for(request, queryset: QuerySet, ordering: list[str]) -> Page:
    """The page of a list view that the request's ?after= or ?before= cursor asks for,
    NETLOG_PAGE_SIZE rows long."""
    return keyset_page(
        queryset,
        ordering=ordering,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        per_page=settings.NETLOG_PAGE_SIZE,
    )


def query_without_cursor(request) -> str:
    """The filter part of the query string, for building next/previous links."""
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    return params.urlencode()
