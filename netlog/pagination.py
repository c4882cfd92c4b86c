"""Keyset ("seek") pagination: pages that cost the same on row 50 and row 500,000.

Offset pagination and its COUNT(*) grow with the table (see PERFORMANCE.md). Here a
page is "the next N rows after this row in this order", which an index on the sort
columns answers directly. The cursor in the URL is only the id of the boundary row;
its sort values are read back from the (already scoped) queryset, so no name or other
personal data ever appears in a URL.

A list narrowed by a text search is the exception. The sort index cannot tell which
rows match, so reading it in order means filtering row by row until a page is found,
and PostgreSQL guesses how far that is by assuming the matches are spread evenly
through the order: for "Smith" by name it expects to read a few thousand rows and reads
two hundred thousand. So for a `narrowed` list, when the planner expects at most
SORT_AT_MOST matches, the leading sort column is hidden from it (`Unindexed`): the
matches are found first (through the trigram indexes) and sorted, which costs the same
wherever they sort. With more matches than that, a page is found early in the walk,
and sorting them all would cost more (a one-letter search matches almost every row),
so the planner keeps its choice. Asking for its estimate costs one EXPLAIN, about a
millisecond of planning.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import F, Func, Q, QuerySet

from netlog.params import parse_id

# Sorting this many matches takes about 60 ms (3 µs a row, measured at agency scale).
SORT_AT_MOST = 20_000
UNINDEXED_LEAD = "keyset_lead"


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


class Unindexed(Func):
    """A column's value, unchanged, in a form that no index matches.

    Ordering by it makes PostgreSQL find the rows first and sort them, instead of
    walking the column's index in order. Elsewhere (SQLite) it is the column itself.
    """

    template = "%(expressions)s"
    # A no-op operator for each type a list leads its sort with (not COALESCE(col, col),
    # which a planner may simplify back to the column). Same value, same collation.
    POSTGRESQL = {
        "CharField": "(%(expressions)s || '')",
        "TextField": "(%(expressions)s || '')",
        "DateTimeField": "(%(expressions)s + interval '0 seconds')",
    }

    def __init__(self, field: str) -> None:
        super().__init__(F(field))

    def as_postgresql(self, compiler, connection, **extra):
        template = self.POSTGRESQL[self.output_field.get_internal_type()]
        return self.as_sql(compiler, connection, template=template, **extra)


def expected_rows(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of how many rows `queryset` returns (None elsewhere)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return plan[0]["Plan"]["Plan Rows"]


def _sort_instead_of_walk(queryset: QuerySet, ordering: list[str]) -> tuple[QuerySet, list[str]]:
    """The same rows and order, with the leading sort column hidden from the planner."""
    lead = ordering[0].lstrip("-")
    sign = "-" if ordering[0].startswith("-") else ""
    queryset = queryset.annotate(**{UNINDEXED_LEAD: Unindexed(lead)})
    return queryset, [f"{sign}{UNINDEXED_LEAD}", *ordering[1:]]


def keyset_page(
    queryset: QuerySet,
    *,
    ordering: list[str],
    after: str | None = None,
    before: str | None = None,
    per_page: int = 50,
    narrowed: bool = False,
) -> Page:
    """One page of `queryset` in `ordering`, which must end in a unique field (id).

    The ordering fields must not be nullable. An unknown or foreign cursor id gives the
    first page, since the anchor is looked up inside the scoped queryset. `narrowed`
    says a filter the sort index cannot serve (a text search) narrows the queryset: its
    matches are then sorted rather than found by walking the index, unless the planner
    expects many (see the module's docstring). The rows and order are the same.
    """
    if narrowed:
        rows = expected_rows(queryset)
        if rows is None or rows <= SORT_AT_MOST:
            queryset, ordering = _sort_instead_of_walk(queryset, ordering)
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


def page_for(request, queryset: QuerySet, ordering: list[str], *, narrowed: bool = False) -> Page:
    """The page of a list view that the request's ?after= or ?before= cursor asks for,
    NETLOG_PAGE_SIZE rows long."""
    return keyset_page(
        queryset,
        ordering=ordering,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        per_page=settings.NETLOG_PAGE_SIZE,
        narrowed=narrowed,
    )


def query_without_cursor(request) -> str:
    """The filter part of the query string, for building next/previous links."""
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    return params.urlencode()
