"""On PostgreSQL every free-text search column has a trigram index on upper(col::text),
the expression Django's icontains compares (PERFORMANCE.md)."""

import pytest
from django.db import connection

from contacts.filters import match_all_terms
from contacts.models import Activity, Contact

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)

SEARCHED = {
    "contacts_contact": ["first_name", "last_name", "organisation", "email", "notes"],
    "contacts_activity": ["summary", "context", "outcome"],
    # Searched by erasure for mentions of the person (privacy.scrub).
    "contacts_outcome": ["notes"],
    "reviews_review": ["rationale", "next_actions"],
    "consent_lawfulbasisrecord": ["li_purpose", "li_necessity", "li_balance"],
}


def test_every_searched_column_has_a_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'"
        )
        indexed = cursor.fetchall()
    for table, columns in SEARCHED.items():
        for column in columns:
            # PostgreSQL drops the ::text cast on columns that are text already.
            expected = {f"upper(({column})::text) gin_trgm_ops", f"upper({column}) gin_trgm_ops"}
            assert any(t == table and any(e in d for e in expected) for t, d in indexed), column


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Contact, ["first_name", "last_name", "organisation", "email"]),
        (Activity, ["summary", "context", "outcome"]),
    ],
)
def test_the_search_query_can_use_them(db, model, fields):
    # Unordered, so the planner weighs only the filter (a tiny table would otherwise be
    # read in the order of its sort index).
    query = match_all_terms(model.objects.order_by(), "zebedee", fields)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "_trgm" in plan, plan
