import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, Kind, Tag
from tests.conftest import client_for
from tests.factories import ContactFactory, TagFactory

URL = "/contacts/"


def names(response) -> list[str]:
    return [c.name for c in response.context["page"]]


def test_it_lists_only_the_recruiters_own_contacts(as_recruiter, recruiter, teammate, outsider):
    ContactFactory(owner=recruiter, first_name="Mine", last_name="A")
    ContactFactory(owner=teammate, first_name="Teammates", last_name="B")
    ContactFactory(owner=outsider, first_name="Outsiders", last_name="C")
    response = as_recruiter.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Mine A"]
    assert "Outsiders" not in response.content.decode()


def test_a_manager_sees_the_team_and_can_filter_by_recruiter(
    as_manager, recruiter, teammate, outsider
):
    ContactFactory(owner=recruiter, first_name="Mine", last_name="A")
    ContactFactory(owner=teammate, first_name="Teammates", last_name="B")
    ContactFactory(owner=outsider, first_name="Outsiders", last_name="C")
    assert names(as_manager.get(URL)) == ["Mine A", "Teammates B"]
    assert names(as_manager.get(URL, {"owner": teammate.pk})) == ["Teammates B"]
    # Another team's recruiter is not a valid choice: the filter is ignored, not obeyed.
    response = as_manager.get(URL, {"owner": outsider.pk})
    assert "Outsiders" not in [c.first_name for c in response.context["page"]]


def test_recruiters_get_no_owner_filter(as_recruiter):
    response = as_recruiter.get(URL)
    assert "owner" not in response.context["filter"].form.fields


def test_search_matches_every_word_across_name_organisation_and_email(as_recruiter, recruiter):
    ContactFactory(
        owner=recruiter, first_name="Olivia", last_name="Bennett", organisation="Northwind"
    )
    ContactFactory(
        owner=recruiter, first_name="Oliver", last_name="Stone", organisation="Harbour Bank"
    )
    # A fixed organisation: Faker's could be "Oliver Ltd" and match "oliv".
    ContactFactory(
        owner=recruiter,
        first_name="Ann",
        last_name="Lee",
        email="ann@northwind.example",
        organisation="Lee Consulting",
    )
    assert set(names(as_recruiter.get(URL, {"q": "northwind"}))) == {"Olivia Bennett", "Ann Lee"}
    assert names(as_recruiter.get(URL, {"q": "oliv NORTH"})) == ["Olivia Bennett"]
    assert names(as_recruiter.get(URL, {"q": "nobody"})) == []


def test_kind_filter_separates_professional_from_personal(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Cand", last_name="A", kind=Kind.CANDIDATE)
    ContactFactory(owner=recruiter, first_name="Client", last_name="B", kind=Kind.CLIENT)
    ContactFactory(owner=recruiter, first_name="Friend", last_name="C", kind=Kind.PERSONAL)
    assert names(as_recruiter.get(URL, {"kind": "professional"})) == ["Cand A", "Client B"]
    assert names(as_recruiter.get(URL, {"kind": "personal"})) == ["Friend C"]
    assert names(as_recruiter.get(URL, {"kind": "client"})) == ["Client B"]


def test_channel_and_tag_filters(as_recruiter, recruiter):
    data = TagFactory(owner=recruiter, name="data")
    london = TagFactory(owner=recruiter, name="london")
    tagged = ContactFactory(
        owner=recruiter, first_name="Tagged", last_name="A", source_channel="event"
    )
    tagged.tags.set([data, london])
    ContactFactory(owner=recruiter, first_name="Plain", last_name="B", source_channel="linkedin")
    assert names(as_recruiter.get(URL, {"tag": "data"})) == ["Tagged A"]  # once, not per tag
    assert names(as_recruiter.get(URL, {"source_channel": "linkedin"})) == ["Plain B"]


def test_tag_suggestions_are_only_the_users_own(as_recruiter, recruiter, outsider):
    TagFactory(owner=recruiter, name="mine")
    TagFactory(owner=outsider, name="secret-client")
    response = as_recruiter.get(URL)
    assert response.context["filter"].tag_suggestions == ["mine"]
    html = response.content.decode()
    assert '<option value="mine">' in html
    assert "secret-client" not in html
    assert Tag.objects.count() == 2


def test_the_tag_filter_ignores_case_and_spacing(as_recruiter, recruiter):
    tagged = ContactFactory(owner=recruiter, first_name="Tagged", last_name="A")
    tagged.tags.set([TagFactory(owner=recruiter, name="key account")])
    assert names(as_recruiter.get(URL, {"tag": "  Key   Account "})) == ["Tagged A"]


def test_a_valid_sort_survives_an_invalid_filter(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Old", last_name="Aaron")
    ContactFactory(owner=recruiter, first_name="New", last_name="Zed")
    response = as_recruiter.get(URL, {"sort": "newest", "kind": "enemy"})
    assert names(response) == ["New Zed", "Old Aaron"]


def test_an_invalid_filter_value_is_reported_not_crashed(as_recruiter, recruiter):
    ContactFactory(owner=recruiter)
    response = as_recruiter.get(URL, {"kind": "enemy", "sort": "shoe-size"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Ann Adams", "Bea Brown", "Cal Cole"]),
        ("organisation", ["Cal Cole", "Ann Adams", "Bea Brown"]),
        ("newest", ["Cal Cole", "Bea Brown", "Ann Adams"]),
    ],
)
def test_it_sorts(as_recruiter, recruiter, sort, expected):
    ContactFactory(owner=recruiter, first_name="Ann", last_name="Adams", organisation="Beta")
    ContactFactory(owner=recruiter, first_name="Bea", last_name="Brown", organisation="Gamma")
    ContactFactory(owner=recruiter, first_name="Cal", last_name="Cole", organisation="Alpha")
    assert names(as_recruiter.get(URL, {"sort": sort})) == expected


def test_pages_link_by_id_only_and_keep_the_filters(as_recruiter, recruiter, settings):
    settings.NETLOG_PAGE_SIZE = 2
    for i in range(5):
        ContactFactory(owner=recruiter, first_name=f"P{i}", last_name="Jones", organisation="Acme")
    response = as_recruiter.get(URL, {"q": "acme"})
    html = response.content.decode()
    next_link = re.search(r'rel="next" href="\?([^"]+)"', html).group(1).replace("&amp;", "&")
    assert next_link == f"q=acme&after={response.context['page'].next_after}"
    seen = names(response)
    while response.context["page"].has_next:
        response = as_recruiter.get(
            URL, {"q": "acme", "after": response.context["page"].next_after}
        )
        seen += names(response)
    assert seen == [f"P{i} Jones" for i in range(5)]


def test_query_count_does_not_grow_with_the_list(
    as_recruiter, recruiter, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            contact = ContactFactory(owner=recruiter)
            contact.tags.set([TagFactory(owner=recruiter)])

    add(3)
    with django_assert_max_num_queries(8) as few:
        as_recruiter.get(URL)
    add(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_recruiter.get(URL)
    assert len(response.context["page"]) == 43


def test_the_dpo_sees_every_recruiters_contacts(dpo, recruiter, outsider):
    ContactFactory(owner=recruiter, first_name="Mine", last_name="A")
    ContactFactory(owner=outsider, first_name="Outsiders", last_name="C")
    assert names(client_for(dpo).get(URL)) == ["Mine A", "Outsiders C"]


def test_an_assessor_is_refused(assessor, recruiter):
    ContactFactory(owner=recruiter)
    assert client_for(assessor).get(URL).status_code == 403


@pytest.fixture
def smiths(recruiter, teammate, outsider):
    """Matches for "smith" in every recruiter's network, sharing surnames and
    organisations so that the tie-breakers decide the order, among others that do not."""
    people = [
        ("Ann", "Smith", "Acme"),
        ("Bob", "Smith", "Zeta"),
        ("Bob", "Smith", "Acme"),
        ("Cy", "Goldsmith", "Beta"),
        ("Di", "Adams", "Smithson Ltd"),
        ("Ed", "Smithers", "Acme"),
        ("Flo", "Smith", "Beta"),
    ]
    for i, (first, last, organisation) in enumerate(people):
        owner = [recruiter, teammate, outsider][i % 3]
        ContactFactory(owner=owner, first_name=first, last_name=last, organisation=organisation)
        ContactFactory(owner=owner, first_name=first, last_name="Jones", organisation="Other")
    return people


def _walk(client, params: dict) -> list:
    """Every page of the list, following the next links."""
    response = client.get(URL, params)
    seen = list(response.context["page"])
    while response.context["page"].has_next:
        response = client.get(URL, {**params, "after": response.context["page"].next_after})
        seen += list(response.context["page"])
    return seen


@pytest.mark.parametrize(
    "ordering",
    [["last_name", "first_name", "id"], ["organisation", "id"], ["-created_at", "-id"]],
)
def test_search_results_keep_their_order_and_pages(dpo, smiths, settings, ordering):
    settings.NETLOG_PAGE_SIZE = 2
    sort = {"last_name": "name", "organisation": "organisation", "-created_at": "newest"}
    params = {"q": "smith", "sort": sort[ordering[0]]}
    expected = list(
        Contact.objects.filter(
            Q(first_name__icontains="smith")
            | Q(last_name__icontains="smith")
            | Q(organisation__icontains="smith")
            | Q(email__icontains="smith")
        ).order_by(*ordering)
    )
    as_dpo = client_for(dpo)
    seen = _walk(as_dpo, params)
    assert seen == expected
    assert len(seen) == len(smiths)
    # And back, from the last two rows to the two before them.
    last = as_dpo.get(URL, {**params, "after": seen[-3].pk})
    assert list(last.context["page"]) == seen[-2:]
    back = as_dpo.get(URL, {**params, "before": last.context["page"].previous_before})
    assert list(back.context["page"]) == seen[-4:-2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_a_search_sorts_its_matches_instead_of_walking_the_name_index(dpo, smiths):
    def page_query(params: dict) -> str:
        with CaptureQueriesContext(connection) as queries:
            client_for(dpo).get(URL, params)
        return next(
            q["sql"] for q in queries if "LIMIT 51" in q["sql"] and "EXPLAIN" not in q["sql"]
        )

    def plan(sql: str) -> str:
        with connection.cursor() as cursor:
            # Without sorting the only way to the order is the index: it shows whether
            # the query leaves the planner that way (a tiny table is sorted either way).
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())

    assert "contact_name" in plan(page_query({}))
    assert "contact_name" not in plan(page_query({"q": "smith"}))


def test_a_manager_is_not_offered_personal_contacts_to_filter_by(as_manager, recruiter):
    ContactFactory(owner=recruiter, first_name="Friend", last_name="A", kind=Kind.PERSONAL)
    ContactFactory(owner=recruiter, first_name="Client", last_name="B", kind=Kind.CLIENT)
    response = as_manager.get(URL, {"kind": "personal"})
    choices = [value for value, _ in response.context["filter"].form.fields["kind"].choices]
    assert Kind.PERSONAL not in choices
    assert Kind.CLIENT in choices
    assert response.context["filter"].form.errors  # reported, not obeyed
    assert names(response) == ["Client B"]
