"""privacy.scrub: a profile URL is found however it was pasted; the filter that finds
rows which may name the person can be answered from the trigram indexes."""

import pytest
from django.db import connection

from contacts.models import Activity, Contact
from privacy.scrub import ERASED, Person, url_forms


@pytest.mark.parametrize(
    "pasted",
    [
        "https://www.linkedin.com/in/jo-bloggs-7/",
        "www.linkedin.com/in/jo-bloggs-7",
        "linkedin.com/in/jo-bloggs-7",
        "See LinkedIn.com/in/jo-bloggs-7 for more",
    ],
)
def test_a_profile_is_scrubbed_with_or_without_its_scheme_and_www(pasted):
    person = Person.of(
        [Contact(first_name="Jo", profile_url="https://www.linkedin.com/in/jo-bloggs-7/")]
    )

    scrubbed = person.scrub(pasted)

    assert "jo-bloggs-7" not in scrubbed
    assert ERASED in scrubbed


def test_url_forms_lists_each_form_once():
    assert url_forms(" http://example.com/in/x/ ") == [
        "http://example.com/in/x/",
        "example.com/in/x",
    ]
    assert url_forms("") == []


def test_the_mentions_filter_searches_the_shortest_form_of_each_term():
    person = Person.of(
        [Contact(first_name="Jo", profile_url="https://www.linkedin.com/in/jo-bloggs-7/")]
    )
    assert person._shortest() == ["linkedin.com/in/jo-bloggs-7"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)
def test_finding_mentions_in_activities_reads_their_trigram_indexes(db):
    """Each term and the phone are compared as upper(col::text), the indexed expression:
    on the agency's 2.5 million activities, reading every row takes seconds."""
    person = Person.of(
        [
            Contact(
                first_name="Jo",
                last_name="Bloggs",
                email="jo@bloggs.test",
                phone="07700 900123",
                profile_url="https://www.linkedin.com/in/jo-bloggs-7/",
            )
        ]
    )
    query = Activity.objects.filter(person.mentioned_in(Activity, ["summary", "context"]))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.order_by().query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan, plan
    assert plan.count("_trgm") == 2 * 4, plan  # name, email, profile, phone: per column
