"""GET /: the dashboard with follow-ups, recent activity and the network by kind."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from reviews.models import Review
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

URL = reverse("dashboard")
DAY = datetime.timedelta(days=1)
# Session, user, counts by kind (basis, consent and notice coverage in the same query),
# overdue, due and recent, each with its contacts, review next actions, and the
# retention warnings.
MAX_QUERIES = 11


def _summaries(response, key: str) -> list[str]:
    return [activity.summary for activity in response.context[key]]


def _counts(response) -> dict[str, int]:
    return {value: count for _label, count, value in response.context["kinds"]}


@pytest.fixture
def follow_ups(recruiter) -> None:
    today = timezone.localdate()
    long_ago = today - 30 * DAY

    def log(summary, follow_up_on, **extra):
        ActivityFactory(
            owner=recruiter, date=long_ago, follow_up_on=follow_up_on, summary=summary, **extra
        )

    log("Overdue by a week", today - 7 * DAY)
    log("Overdue since yesterday", today - DAY)
    log("Due today", today)
    log("Due in a week", today + 7 * DAY)
    log("Not yet: in 8 days", today + 8 * DAY)
    log("Done already", today - DAY, follow_up_done_at=timezone.now())
    log("No follow-up", None)


def test_it_shows_overdue_follow_ups_oldest_first(as_recruiter, follow_ups):
    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert _summaries(response, "overdue") == ["Overdue by a week", "Overdue since yesterday"]


def test_it_shows_follow_ups_due_in_the_next_seven_days(as_recruiter, follow_ups):
    response = as_recruiter.get(URL)

    assert _summaries(response, "due") == ["Due today", "Due in a week"]


def test_it_leaves_out_done_and_later_follow_ups(as_recruiter, follow_ups):
    response = as_recruiter.get(URL)

    shown = _summaries(response, "overdue") + _summaries(response, "due")
    assert "Done already" not in shown
    assert "Not yet: in 8 days" not in shown
    assert "No follow-up" not in shown


def test_it_offers_a_done_button_that_comes_back_to_the_dashboard(
    as_recruiter, recruiter, follow_ups
):
    overdue = recruiter.activities.get(summary="Overdue since yesterday")

    content = as_recruiter.get(URL).content.decode()

    assert reverse("contacts:activity_follow_up_done", args=[overdue.pk]) in content
    assert '<input type="hidden" name="next" value="/">' in content


def test_it_says_when_nothing_is_due(as_recruiter):
    content = as_recruiter.get(URL).content.decode()

    assert "Nothing overdue." in content
    assert "Nothing due this week." in content
    assert "No activity logged yet." in content


def test_it_shows_the_ten_most_recent_activities(as_recruiter, recruiter):
    today = timezone.localdate()
    for days_ago in range(12):
        ActivityFactory(owner=recruiter, date=today - days_ago * DAY, summary=f"{days_ago} ago")

    response = as_recruiter.get(URL)

    assert _summaries(response, "recent") == [f"{days_ago} ago" for days_ago in range(10)]
    assert "11 ago" not in response.content.decode()


def test_it_counts_contacts_by_kind_with_personal_ones_apart(as_recruiter, recruiter):
    for kind, count in [(Kind.CANDIDATE, 3), (Kind.CLIENT, 2), (Kind.PERSONAL, 4)]:
        ContactFactory.create_batch(count, owner=recruiter, kind=kind)

    response = as_recruiter.get(URL)

    assert _counts(response) == {
        Kind.CANDIDATE: 3,
        Kind.CLIENT: 2,
        Kind.HIRING_MANAGER: 0,
        Kind.REFERRER: 0,
        Kind.INDUSTRY_PEER: 0,
        Kind.PERSONAL: 4,
    }
    assert response.context["professional_total"] == 5
    assert response.context["personal_total"] == 4
    assert "(+ 4 personal / social, kept out of network metrics)" in response.content.decode()


def test_it_shows_a_recruiter_only_their_own_work(as_recruiter, recruiter, teammate, outsider):
    today = timezone.localdate()
    ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    for other in (teammate, outsider):
        ContactFactory.create_batch(2, owner=other, kind=Kind.CLIENT)
        ActivityFactory(owner=other, follow_up_on=today, summary=f"{other.username}'s")

    response = as_recruiter.get(URL)

    assert response.context["professional_total"] == 1
    assert _summaries(response, "due") == []
    assert _summaries(response, "recent") == []


def test_it_counts_only_the_teams_work_for_a_manager(as_manager, recruiter, teammate, outsider):
    today = timezone.localdate()
    ContactFactory.create_batch(2, owner=recruiter, kind=Kind.CANDIDATE)
    ContactFactory(owner=teammate, kind=Kind.PERSONAL)
    ContactFactory.create_batch(5, owner=outsider, kind=Kind.CANDIDATE)
    ActivityFactory(owner=recruiter, follow_up_on=today, summary="Recruiter's")
    ActivityFactory(owner=teammate, follow_up_on=today - DAY, summary="Teammate's")
    ActivityFactory(owner=outsider, follow_up_on=today, summary="Outsider's")

    response = as_manager.get(URL)

    # Each activity brings one candidate contact of its owner (see ActivityFactory).
    assert _counts(response)[Kind.CANDIDATE] == 2 + 2
    # The teammate's personal contact is their private life, not the team's work.
    assert response.context["personal_total"] == 0
    assert _summaries(response, "due") == ["Recruiter's"]
    assert _summaries(response, "overdue") == ["Teammate's"]
    assert sorted(_summaries(response, "recent")) == ["Recruiter's", "Teammate's"]
    assert "Outsider&#x27;s" not in response.content.decode()


def test_it_offers_a_manager_no_done_button(as_manager, recruiter):
    activity = ActivityFactory(owner=recruiter, follow_up_on=timezone.localdate())

    content = as_manager.get(URL).content.decode()

    assert reverse("contacts:activity_follow_up_done", args=[activity.pk]) not in content


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def _grow(owner, count: int) -> None:
    """`count` contacts of mixed kinds, each with an overdue, a due and a done follow-up."""
    today = timezone.localdate()
    kinds = list(Kind)
    for i in range(count):
        contact = ContactFactory(owner=owner, kind=kinds[i % len(kinds)])
        for follow_up_on, done in [(today - DAY, None), (today, None), (today, timezone.now())]:
            ActivityFactory(
                owner=owner,
                date=today - 3 * DAY,
                contacts=[contact, ContactFactory(owner=owner)],
                follow_up_on=follow_up_on,
                follow_up_done_at=done,
            )


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("client_name", ["as_recruiter", "as_manager"])
def test_it_runs_a_fixed_number_of_queries(
    request, recruiter, django_assert_max_num_queries, client_name, count
):
    _grow(recruiter, count)
    client = request.getfixturevalue(client_name)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(URL)

    assert len(response.context["due"]) == min(count, 10)


def test_its_query_count_does_not_grow_with_the_network(as_recruiter, recruiter):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_recruiter.get(URL).status_code == 200
        return len(captured)

    _grow(recruiter, 3)
    with_3 = queries()
    _grow(recruiter, 27)
    with_30 = queries()

    assert with_3 == with_30


def test_it_greets_the_user_by_first_name(recruiter):
    content = client_for(recruiter).get(URL).content.decode()

    assert "Hello, Priya" in content


def test_it_lists_review_next_actions_due_this_week_or_overdue(as_recruiter, recruiter):
    today = timezone.localdate()
    contact = ContactFactory(owner=recruiter, first_name="Rhoda", last_name="Action")
    for days, text in ((-2, "Overdue action"), (3, "This week action"), (30, "Later action")):
        Review.objects.create(
            owner=recruiter,
            contact=contact,
            value=3,
            activity=3,
            potential=3,
            rationale="Why.",
            decision="maintain",
            next_actions=text,
            next_action_on=today + days * DAY,
        )

    shown = [r.next_actions for r in as_recruiter.get(URL).context["review_actions"]]

    assert shown == ["Overdue action", "This week action"]


def test_it_names_the_contacts_of_follow_ups_and_recent_activities(as_recruiter, recruiter):
    today = timezone.localdate()
    ada = ContactFactory(owner=recruiter, first_name="Ada", last_name="Overdue")
    bea = ContactFactory(owner=recruiter, first_name="Bea", last_name="Recent")
    ActivityFactory(
        owner=recruiter, contacts=[ada], date=today - 9 * DAY, follow_up_on=today - 2 * DAY
    )
    ActivityFactory(owner=recruiter, contacts=[bea], date=today)

    page = as_recruiter.get(URL).content.decode()

    overdue = page[page.index('id="overdue-heading"') : page.index('id="due-heading"')]
    assert f'<a href="{ada.get_absolute_url()}">Ada Overdue</a>' in overdue
    assert f'<a href="{bea.get_absolute_url()}">Bea Recent</a>' in page
    # The follow-up says which activity it came after, by its day.
    day = today - 9 * DAY
    assert f"on {day.day} {day:%b}</a>" in page
