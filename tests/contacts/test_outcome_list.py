"""GET /outcomes/: recruitment outcomes, scoped to the reader and paged by keyset."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.models import OutcomeKind
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory

URL = reverse("contacts:outcome_list")
DAY = datetime.timedelta(days=1)
# Session, user, the page, its contacts and its activities.
MAX_QUERIES = 5


def _notes(response) -> list[str]:
    return [outcome.notes for outcome in response.context["page"]]


def test_it_lists_only_the_users_own_outcomes(as_recruiter, recruiter, teammate, outsider):
    OutcomeFactory(owner=recruiter, notes="Mine")
    OutcomeFactory(owner=teammate, notes="Teammate's")
    OutcomeFactory(owner=outsider, notes="Outsider's")

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert _notes(response) == ["Mine"]
    assert "Teammate&#x27;s" not in response.content.decode()


def test_it_shows_a_manager_the_teams_outcomes_but_not_another_teams(
    as_manager, recruiter, teammate, outsider
):
    OutcomeFactory(owner=recruiter, notes="Recruiter's")
    OutcomeFactory(owner=teammate, notes="Teammate's")
    OutcomeFactory(owner=outsider, notes="Outsider's")

    response = as_manager.get(URL)

    assert sorted(_notes(response)) == ["Recruiter's", "Teammate's"]
    assert "Outsider&#x27;s" not in response.content.decode()


def test_it_shows_another_teams_manager_only_their_team(other_manager, recruiter, outsider):
    OutcomeFactory(owner=recruiter, notes="Recruiter's")
    OutcomeFactory(owner=outsider, notes="Outsider's")

    response = client_for(other_manager).get(URL)

    assert _notes(response) == ["Outsider's"]


def test_it_refuses_an_assessor(assessor, recruiter):
    OutcomeFactory(owner=recruiter)

    assert client_for(assessor).get(URL).status_code == 403


def test_it_shows_the_outcome_with_its_contacts_activities_and_value(as_recruiter, recruiter):
    sam = ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor")
    activity = ActivityFactory(owner=recruiter, contacts=[sam])
    outcome = OutcomeFactory(
        owner=recruiter, kind=OutcomeKind.CLIENT_WON, value=Decimal("12500.00"), contacts=[sam]
    )
    outcome.activities.add(activity)

    content = as_recruiter.get(URL).content.decode()

    assert "Client won" in content
    assert "£12,500" in content
    assert f'<a href="{sam.get_absolute_url()}">Sam Okafor</a>' in content
    assert f'<a href="{activity.get_absolute_url()}">{activity}</a>' in content


def test_it_lists_the_newest_outcomes_first(as_recruiter, recruiter):
    today = timezone.localdate()
    OutcomeFactory(owner=recruiter, date=today - 9 * DAY, notes="Older")
    OutcomeFactory(owner=recruiter, date=today, notes="Newest")
    OutcomeFactory(owner=recruiter, date=today - 2 * DAY, notes="Middle")

    assert _notes(as_recruiter.get(URL)) == ["Newest", "Middle", "Older"]


def test_it_offers_the_owner_edit_and_delete_links(as_recruiter, recruiter):
    outcome = OutcomeFactory(owner=recruiter)

    content = as_recruiter.get(URL).content.decode()

    assert reverse("contacts:outcome_edit", args=[outcome.pk]) in content
    assert reverse("contacts:outcome_delete", args=[outcome.pk]) in content
    assert reverse("contacts:outcome_create") in content


def test_it_offers_a_manager_no_edit_links(as_manager, recruiter):
    outcome = OutcomeFactory(owner=recruiter)

    content = as_manager.get(URL).content.decode()

    assert reverse("contacts:outcome_edit", args=[outcome.pk]) not in content
    assert reverse("contacts:outcome_delete", args=[outcome.pk]) not in content
    assert reverse("contacts:outcome_create") not in content


def test_it_walks_the_pages_without_duplicates_or_gaps(as_recruiter, recruiter, settings):
    settings.NETLOG_PAGE_SIZE = 2
    today = timezone.localdate()
    outcomes = [OutcomeFactory(owner=recruiter, date=today - (i // 2) * DAY) for i in range(5)]
    expected = [o.pk for o in sorted(outcomes, key=lambda o: (o.date, o.pk), reverse=True)]

    seen, response = [], as_recruiter.get(URL)
    for _ in range(10):
        seen += [outcome.pk for outcome in response.context["page"]]
        if not response.context["page"].has_next:
            break
        href = re.search(r'rel="next" href="([^"]*)"', response.content.decode()).group(1)
        assert re.fullmatch(r"\?after=\d+", html.unescape(href))
        response = as_recruiter.get(URL + html.unescape(href))

    assert seen == expected


def _record(owner, count: int) -> None:
    for _ in range(count):
        contacts = ContactFactory.create_batch(2, owner=owner)
        outcome = OutcomeFactory(owner=owner, contacts=contacts, value=Decimal("1000"))
        outcome.activities.add(ActivityFactory(owner=owner, contacts=contacts))


@pytest.mark.parametrize("count", [5, 40])
@pytest.mark.parametrize("client_name", ["as_recruiter", "as_manager"])
def test_it_runs_a_fixed_number_of_queries(
    request, recruiter, settings, django_assert_max_num_queries, client_name, count
):
    settings.NETLOG_PAGE_SIZE = 50
    _record(recruiter, count)
    client = request.getfixturevalue(client_name)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(URL)

    assert len(response.context["page"]) == count


def test_its_query_count_does_not_grow_with_the_outcomes(as_recruiter, recruiter, settings):
    settings.NETLOG_PAGE_SIZE = 50

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_recruiter.get(URL).status_code == 200
        return len(captured)

    _record(recruiter, 5)
    with_5 = queries()
    _record(recruiter, 35)
    with_40 = queries()

    assert with_5 == with_40
