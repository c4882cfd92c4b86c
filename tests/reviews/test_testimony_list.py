"""GET /testimonies/: the testimonies a user may read (a recruiter's own, a manager's
team's), and a recruiter's requests with their state: open, answered or expired."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from reviews import services
from reviews.models import Testimony, WitnessRelationship
from reviews.models import TestimonyRequest as LinkRequest  # not "Test*": pytest collects those
from tests.conftest import client_for
from tests.factories import ContactFactory

URL = reverse("reviews:testimony_list")
STATEMENT = "Priya introduced me to two engineers we hired; she followed up within a day."


def ask(owner, **contact_fields) -> tuple[LinkRequest, str]:
    contact = ContactFactory(owner=owner, kind=Kind.CLIENT, **contact_fields)
    return services.testimony_request_create(contact=contact, by=owner, activities=[], message="")


def answer(link: tuple[LinkRequest, str], name: str) -> Testimony:
    return services.testimony_submit(
        token=link[1],
        witness_name=name,
        witness_role="Head of Data",
        relationship=WitnessRelationship.CLIENT,
        text=STATEMENT,
    )


def by_manager(manager, recruiter) -> Testimony:
    return services.testimony_write(
        author=manager, owner=recruiter, activities=[], witness_role="Team manager", text=STATEMENT
    )


def _requests_table(response) -> list[tuple[str, str]]:
    """(contact, state) of each row of "Your requests"."""
    html = response.content.decode()
    table = re.search(r'aria-labelledby="requests-heading">(.*?)</table>', html, re.S)
    if table is None:
        return []
    rows = re.findall(
        r"<tr><td>.*?</td><td><a [^>]*>(.*?)</a></td><td>(.*?)</td></tr>", table.group(1)
    )
    return [(who, re.sub(r"<[^>]+>", "", state).strip()) for who, state in rows]


# A recruiter's list


def test_a_recruiter_sees_the_testimonies_about_them(as_recruiter, recruiter, manager, teammate):
    theirs = answer(ask(recruiter), "Sam Okafor")
    mine_by_manager = by_manager(manager, recruiter)
    answer(ask(teammate), "Jo Otherley")

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert set(response.context["testimonies"]) == {theirs, mine_by_manager}
    html = response.content.decode()
    assert "Sam Okafor, Head of Data" in html
    assert "Jo Otherley" not in html


def test_a_recruiter_sees_their_requests_and_their_state(as_recruiter, recruiter, teammate):
    open_link = ask(recruiter, first_name="Olive", last_name="Open")
    answer(ask(recruiter, first_name="Andy", last_name="Answered"), "Andy Answered")
    expired = ask(recruiter, first_name="Eddie", last_name="Expired")
    LinkRequest.objects.filter(pk=expired[0].pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    ask(teammate, first_name="Terry", last_name="Teammate")

    rows = dict(_requests_table(as_recruiter.get(URL)))

    assert set(rows) == {"Olive Open", "Andy Answered", "Eddie Expired"}
    until = timezone.localtime(open_link[0].expires_at)
    assert rows["Olive Open"] == f"open until {until.day} {until:%b %Y}"
    assert rows["Andy Answered"] == "answered"
    assert rows["Eddie Expired"].startswith("expired")


def test_a_request_is_expired_exactly_at_its_expiry(as_recruiter, recruiter):
    link = ask(recruiter, first_name="Eddie", last_name="Edge")
    LinkRequest.objects.filter(pk=link[0].pk).update(expires_at=timezone.now())

    assert _requests_table(as_recruiter.get(URL))[0][1].startswith("expired")


def test_it_shows_no_requests_table_without_requests(as_recruiter):
    response = as_recruiter.get(URL)
    assert _requests_table(response) == []
    assert "No testimonies yet." in response.content.decode()


def test_a_recruiter_is_not_offered_to_write_a_testimony(as_recruiter):
    assert reverse("reviews:testimony_write") not in as_recruiter.get(URL).content.decode()


# A manager's list


def test_a_manager_sees_the_teams_testimonies(
    as_manager, manager, recruiter, teammate, outsider, other_manager
):
    priyas = answer(ask(recruiter), "Sam Okafor")
    teammates = by_manager(manager, teammate)
    answer(ask(outsider), "Olga Outside")
    by_manager(other_manager, outsider)

    response = as_manager.get(URL)

    assert set(response.context["testimonies"]) == {priyas, teammates}
    html = response.content.decode()
    assert f"about {recruiter}" in html
    assert "Olga Outside" not in html


def test_a_manager_sees_no_requests_and_may_write_one(as_manager, recruiter):
    ask(recruiter, first_name="Olive", last_name="Open")

    response = as_manager.get(URL)

    assert _requests_table(response) == []
    assert "Olive Open" not in response.content.decode()
    assert f'href="{reverse("reviews:testimony_write")}"' in response.content.decode()


@pytest.mark.parametrize("who", ["outsider"])
def test_others_see_none_of_the_recruiters_testimonies(request, recruiter, manager, who):
    answer(ask(recruiter), "Sam Okafor")
    by_manager(manager, recruiter)

    response = client_for(request.getfixturevalue(who)).get(URL)

    assert response.status_code == 200
    assert list(response.context["testimonies"]) == []
    assert "Sam Okafor" not in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Query counts


def test_its_queries_do_not_grow_with_the_list(
    as_recruiter, recruiter, manager, django_assert_max_num_queries
):
    def fill(n: int) -> None:
        for _ in range(n):
            answer(ask(recruiter), "Sam Okafor")
            ask(recruiter)
            by_manager(manager, recruiter)

    fill(1)
    with django_assert_max_num_queries(12) as few:
        as_recruiter.get(URL)
    fill(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        as_recruiter.get(URL)
