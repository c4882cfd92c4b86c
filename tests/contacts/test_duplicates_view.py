"""GET /contacts/duplicates/: the recruiter's own contacts that look like one person."""

import re

import pytest

from contacts import merge
from reviews.models import Decision, Review
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

URL = "/contacts/duplicates/"


def shown(response) -> list[tuple[str, list[str]]]:
    return [(g.reason, [c.name for c in g.members]) for g in response.context["groups"]]


def pair(owner, n: int = 0):
    """Two records of one person: the same name at the same organisation."""
    org = f"Northwind {n}"
    first = ContactFactory(owner=owner, first_name=f"Ann{n}", last_name="Lee", organisation=org)
    second = ContactFactory(owner=owner, first_name=f"ann{n}", last_name="LEE", organisation=org)
    return first, second


def test_it_lists_the_recruiters_groups_with_the_reason(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Sam", last_name="Patel", organisation="Acme")
    ContactFactory(owner=recruiter, first_name="sam", last_name="patel", organisation="ACME")
    jo = {"last_name": "Bloggs", "organisation": ""}
    ContactFactory(owner=recruiter, first_name="Jo", profile_url="https://linkedin.com/in/jo", **jo)
    ContactFactory(owner=recruiter, first_name="Joanna", profile_url="linkedin.com/in/jo/", **jo)
    ContactFactory(owner=recruiter, first_name="Alone")
    response = as_recruiter.get(URL)
    assert response.status_code == 200
    assert shown(response) == [
        ("same profile URL", ["Jo Bloggs", "Joanna Bloggs"]),
        ("same name and organisation", ["Sam Patel", "sam patel"]),
    ]
    html = response.content.decode()
    assert "Same profile URL" in html and "Same name and organisation" in html
    assert "Alone" not in html


def test_each_member_shows_its_details_counts_and_a_merge_link(as_recruiter, recruiter):
    first, second = pair(recruiter)
    ActivityFactory(owner=recruiter, contacts=[first, second])
    ActivityFactory(owner=recruiter, contacts=[second])
    Review.objects.create(
        owner=recruiter,
        contact=second,
        value=3,
        activity=3,
        potential=3,
        rationale="Steady.",
        decision=Decision.MAINTAIN,
    )
    response = as_recruiter.get(URL)
    (group,) = response.context["groups"]
    assert [(c.activity_count, c.review_count) for c in group.members] == [(1, 0), (2, 1)]
    html = response.content.decode()
    row = re.search(r"<tr>\s*<td><a[^>]*>ann0 LEE</a>.*?</tr>", html, re.S).group(0)
    assert "Northwind 0" in row
    assert second.email in row
    assert second.created_at.strftime("%-d %b %Y") in row
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "1"]
    assert f'href="/contacts/{first.pk}/merge/{second.pk}/"' in row


def test_it_shows_only_the_recruiters_own_contacts(as_recruiter, recruiter, teammate, outsider):
    pair(teammate, 1)
    pair(outsider, 2)
    ContactFactory(owner=outsider, first_name="Theirs", last_name="Lee", organisation="Northwind 0")
    pair(recruiter, 0)
    response = as_recruiter.get(URL)
    assert shown(response) == [("same name and organisation", ["Ann0 Lee", "ann0 LEE"])]
    html = response.content.decode()
    assert "Ann1" not in html and "Ann2" not in html and "Theirs" not in html


def test_without_duplicates_it_says_so(as_recruiter, recruiter):
    ContactFactory(owner=recruiter)
    response = as_recruiter.get(URL)
    assert response.context["groups"] == []
    assert "No possible duplicates" in response.content.decode()


def test_it_shows_a_bounded_number_of_groups_and_says_how_many(
    as_recruiter, recruiter, monkeypatch
):
    for n in range(3):
        pair(recruiter, n)
    monkeypatch.setattr(merge, "GROUPS_SHOWN", 2)
    response = as_recruiter.get(URL)
    assert len(response.context["groups"]) == 2
    assert "Showing the first 2 of 3 groups" in response.content.decode()


def test_query_count_does_not_grow_with_the_groups(
    as_recruiter, recruiter, django_assert_max_num_queries
):
    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            first, second = pair(recruiter, n)
            ActivityFactory(owner=recruiter, contacts=[first, second])

    add(0, 1)
    with django_assert_max_num_queries(5) as few:
        as_recruiter.get(URL)
    add(1, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_recruiter.get(URL)
    assert len(response.context["groups"]) == 21


def test_post_is_not_allowed(as_recruiter):
    assert as_recruiter.post(URL).status_code == 405


@pytest.mark.parametrize("role", ["manager", "dpo", "assessor"])
def test_other_roles_get_403(request, role):
    assert client_for(request.getfixturevalue(role)).get(URL).status_code == 403


# The way in, from the contact list


def test_the_contact_list_links_here_for_recruiters(as_recruiter, as_manager):
    link = f'href="{URL}"'
    assert link in as_recruiter.get("/contacts/").content.decode()
    assert link not in as_manager.get("/contacts/").content.decode()
