"""GET /activities/: the networking log, scoped to the reader, filtered and paged by
keyset."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contacts.models import ActivityType, Direction
from netlog.access import ASSESSOR_REFUSAL
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

URL = reverse("contacts:activity_list")
DAY = datetime.timedelta(days=1)
# Session, user, the owner choices (managers only), the page and its contacts.
MAX_QUERIES = 5


def _summaries(response) -> list[str]:
    return [activity.summary for activity in response.context["page"]]


def _link(response, rel: str) -> str:
    """The href of the pager link with rel="next" or rel="prev"."""
    match = re.search(rf'rel="{rel}" href="([^"]*)"', response.content.decode())
    assert match, f"no {rel} link"
    return html.unescape(match.group(1))


# Scoping


def test_it_lists_only_the_users_own_activities(as_recruiter, recruiter, teammate, outsider):
    ActivityFactory(owner=recruiter, summary="Coffee with a fintech CTO")
    ActivityFactory(owner=teammate, summary="Teammate's call")
    ActivityFactory(owner=outsider, summary="Outsider's lunch")

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert _summaries(response) == ["Coffee with a fintech CTO"]
    assert "Teammate&#x27;s call" not in response.content.decode()
    assert "Outsider&#x27;s lunch" not in response.content.decode()


def test_it_shows_a_manager_the_teams_activities_but_not_another_teams(
    as_manager, recruiter, teammate, outsider
):
    ActivityFactory(owner=recruiter, summary="Recruiter's call")
    ActivityFactory(owner=teammate, summary="Teammate's call")
    ActivityFactory(owner=outsider, summary="Outsider's call")

    response = as_manager.get(URL)

    assert sorted(_summaries(response)) == ["Recruiter's call", "Teammate's call"]
    assert "Outsider&#x27;s call" not in response.content.decode()


def test_it_shows_another_teams_manager_only_their_team(other_manager, recruiter, outsider):
    ActivityFactory(owner=recruiter, summary="Recruiter's call")
    ActivityFactory(owner=outsider, summary="Outsider's call")

    response = client_for(other_manager).get(URL)

    assert _summaries(response) == ["Outsider's call"]


def test_it_tells_a_manager_who_logged_each_activity(as_manager, recruiter):
    ActivityFactory(owner=recruiter)

    response = as_manager.get(URL)

    assert f"Logged by {escape(recruiter)}" in response.content.decode()


def test_it_refuses_an_assessor(assessor, recruiter):
    ActivityFactory(owner=recruiter)

    response = client_for(assessor).get(URL)

    assert response.status_code == 403
    assert ASSESSOR_REFUSAL in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


# Filters


def test_it_filters_by_type(as_recruiter, recruiter):
    ActivityFactory(owner=recruiter, type=ActivityType.MEETING, summary="Met")
    ActivityFactory(owner=recruiter, type=ActivityType.EMAIL, summary="Emailed")

    response = as_recruiter.get(URL, {"type": "meeting"})

    assert _summaries(response) == ["Met"]


def test_it_filters_by_value_direction(as_recruiter, recruiter):
    ActivityFactory(owner=recruiter, direction=Direction.GIVEN, summary="Gave a referral")
    ActivityFactory(owner=recruiter, direction=Direction.RECEIVED, summary="Got a lead")
    ActivityFactory(owner=recruiter, direction=Direction.MUTUAL, summary="Swapped notes")

    response = as_recruiter.get(URL, {"direction": "received"})

    assert _summaries(response) == ["Got a lead"]


def test_it_filters_by_date_range_including_both_ends(as_recruiter, recruiter):
    today = timezone.localdate()
    for days_ago in (10, 7, 5, 3, 1):
        ActivityFactory(owner=recruiter, date=today - days_ago * DAY, summary=f"{days_ago} ago")

    response = as_recruiter.get(
        URL, {"date_from": str(today - 7 * DAY), "date_to": str(today - 3 * DAY)}
    )

    assert _summaries(response) == ["3 ago", "5 ago", "7 ago"]


@pytest.fixture
def follow_ups(recruiter) -> None:
    today = timezone.localdate()
    week_ago = today - 7 * DAY
    ActivityFactory(owner=recruiter, date=week_ago, summary="No follow-up")
    ActivityFactory(owner=recruiter, date=week_ago, follow_up_on=today - DAY, summary="Overdue")
    ActivityFactory(owner=recruiter, date=week_ago, follow_up_on=today + DAY, summary="Upcoming")
    ActivityFactory(
        owner=recruiter,
        date=week_ago,
        follow_up_on=today - DAY,
        follow_up_done_at=timezone.now(),
        summary="Done",
    )


@pytest.mark.parametrize(
    "state, expected",
    [
        ("open", {"Overdue", "Upcoming"}),
        ("overdue", {"Overdue"}),
        ("done", {"Done"}),
        ("", {"No follow-up", "Overdue", "Upcoming", "Done"}),
    ],
)
def test_it_filters_by_follow_up_state(as_recruiter, follow_ups, state, expected):
    response = as_recruiter.get(URL, {"follow_up": state})

    assert set(_summaries(response)) == expected


def test_it_searches_summary_context_and_outcome(as_recruiter, recruiter):
    ActivityFactory(owner=recruiter, summary="Talked about fintech hiring")
    ActivityFactory(owner=recruiter, summary="Drinks", context="Fintech Week London")
    ActivityFactory(owner=recruiter, summary="Call", outcome="Intro to a FINTECH founder")
    ActivityFactory(owner=recruiter, summary="Nothing relevant", context="Retail meetup")

    response = as_recruiter.get(URL, {"q": "fintech"})

    assert set(_summaries(response)) == {
        "Talked about fintech hiring",
        "Drinks",
        "Call",
    }


def test_it_requires_every_search_word_to_appear_in_some_field(as_recruiter, recruiter):
    ActivityFactory(owner=recruiter, summary="Breakfast chat", context="Fintech Week")
    ActivityFactory(owner=recruiter, summary="Fintech call", outcome="none")
    ActivityFactory(owner=recruiter, summary="Breakfast", context="Retail")

    response = as_recruiter.get(URL, {"q": "  fintech   BREAKFAST "})

    assert _summaries(response) == ["Breakfast chat"]


def test_it_filters_by_contact(as_recruiter, recruiter):
    sam = ContactFactory(owner=recruiter, first_name="Sam")
    alex = ContactFactory(owner=recruiter, first_name="Alex")
    ActivityFactory(owner=recruiter, contacts=[sam], summary="Just Sam")
    ActivityFactory(owner=recruiter, contacts=[sam, alex], summary="Sam and Alex")
    ActivityFactory(owner=recruiter, contacts=[alex], summary="Just Alex")

    response = as_recruiter.get(URL, {"contact": sam.pk})

    assert set(_summaries(response)) == {"Just Sam", "Sam and Alex"}
    assert f'name="contact" value="{sam.pk}"' in response.content.decode()


def test_it_shows_nothing_for_another_recruiters_contact(as_recruiter, recruiter, outsider):
    theirs = ContactFactory(owner=outsider)
    ActivityFactory(owner=outsider, contacts=[theirs], summary="Outsider's call")
    ActivityFactory(owner=recruiter, summary="Mine")

    response = as_recruiter.get(URL, {"contact": theirs.pk})

    assert _summaries(response) == []


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", ""])
def test_it_copes_with_a_contact_filter_that_is_no_id(as_recruiter, recruiter, outsider, raw):
    ActivityFactory(owner=recruiter, summary="Mine")
    ActivityFactory(owner=outsider, summary="Outsider's")

    response = as_recruiter.get(URL, {"contact": raw})

    assert response.status_code == 200
    assert set(_summaries(response)) <= {"Mine"}


@pytest.mark.parametrize("raw", ["99999999999999999999999", "1e30"])
def test_it_answers_a_contact_id_out_of_range_without_an_error(as_recruiter, recruiter, raw):
    ActivityFactory(owner=recruiter)

    response = as_recruiter.get(URL, {"contact": raw})

    assert response.status_code == 200


def test_it_offers_recruiters_no_owner_filter(as_recruiter):
    response = as_recruiter.get(URL)

    assert "owner" not in response.context["filter"].form.fields
    assert 'name="owner"' not in response.content.decode()


def test_it_offers_a_manager_an_owner_filter_of_their_team(
    as_manager, recruiter, teammate, outsider
):
    response = as_manager.get(URL)

    owners = response.context["filter"].form.fields["owner"].queryset
    assert set(owners) == {recruiter, teammate}
    assert 'name="owner"' in response.content.decode()


def test_it_narrows_a_managers_list_to_one_recruiter(as_manager, recruiter, teammate):
    ActivityFactory(owner=recruiter, summary="Recruiter's call")
    ActivityFactory(owner=teammate, summary="Teammate's call")

    response = as_manager.get(URL, {"owner": teammate.pk})

    assert _summaries(response) == ["Teammate's call"]


def test_it_ignores_an_owner_outside_the_managers_team(as_manager, recruiter, outsider):
    ActivityFactory(owner=recruiter, summary="Recruiter's call")
    ActivityFactory(owner=outsider, summary="Outsider's call")

    response = as_manager.get(URL, {"owner": outsider.pk})

    assert _summaries(response) == ["Recruiter's call"]


# Keyset pagination


@pytest.fixture
def eight_activities(recruiter) -> list[int]:
    """Eight activities on four dates (ties included); ids in list order."""
    today = timezone.localdate()
    activities = [
        ActivityFactory(owner=recruiter, date=today - (i // 2) * DAY, summary=f"Activity {i}")
        for i in range(8)
    ]
    return [a.pk for a in sorted(activities, key=lambda a: (a.date, a.pk), reverse=True)]


def _ids(response) -> list[int]:
    return [activity.pk for activity in response.context["page"]]


def test_it_walks_forward_and_back_without_duplicates_or_gaps(
    as_recruiter, settings, eight_activities
):
    settings.NETLOG_PAGE_SIZE = 3
    forward = [as_recruiter.get(URL)]
    while forward[-1].context["page"].has_next and len(forward) < 10:
        forward.append(as_recruiter.get(URL + _link(forward[-1], "next")))
    backward = [forward[-1]]
    while backward[-1].context["page"].has_previous and len(backward) < 10:
        backward.append(as_recruiter.get(URL + _link(backward[-1], "prev")))

    assert [len(_ids(page)) for page in forward] == [3, 3, 2]
    assert [i for page in forward for i in _ids(page)] == eight_activities
    assert [i for page in reversed(backward) for i in _ids(page)] == eight_activities


def test_it_puts_only_an_id_in_the_cursor(as_recruiter, settings, recruiter, eight_activities):
    settings.NETLOG_PAGE_SIZE = 3
    first = as_recruiter.get(URL)
    second = as_recruiter.get(URL + _link(first, "next"))

    for href in (_link(first, "next"), _link(second, "next"), _link(second, "prev")):
        params = parse_qs(urlsplit(href).query)
        assert set(params) <= {"after", "before"}
        (cursor,) = params.get("after", []) + params.get("before", [])
        assert re.fullmatch(r"\d+", cursor)
        assert int(cursor) in eight_activities


def test_it_links_nowhere_from_the_disabled_pager_buttons(as_recruiter, settings, eight_activities):
    settings.NETLOG_PAGE_SIZE = 3
    first = as_recruiter.get(URL)
    last = as_recruiter.get(URL, {"after": eight_activities[5]})

    for response, disabled in [(first, ["First", "Previous"]), (last, ["Next"])]:
        content = response.content.decode()
        cursors = re.findall(r"(?:after|before)=([^&\"]*)", content)
        assert cursors
        assert all(re.fullmatch(r"\d+", cursor) for cursor in cursors), cursors
        for label in disabled:
            assert f'<span class="page-link">{label}</span>' in content


def test_it_keeps_the_filters_in_the_page_links(as_recruiter, settings, recruiter):
    settings.NETLOG_PAGE_SIZE = 2
    for i in range(3):
        ActivityFactory(owner=recruiter, type=ActivityType.MEETING, summary=f"Meeting {i}")
    ActivityFactory(owner=recruiter, type=ActivityType.EMAIL, summary="Email")

    first = as_recruiter.get(URL, {"type": "meeting"})
    second = as_recruiter.get(URL + _link(first, "next"))

    assert parse_qs(urlsplit(_link(first, "next")).query)["type"] == ["meeting"]
    assert len(_summaries(first)) == 2
    assert [s.startswith("Meeting") for s in _summaries(second)] == [True]


def test_it_shows_the_first_page_for_another_recruiters_cursor(
    as_recruiter, settings, recruiter, outsider
):
    settings.NETLOG_PAGE_SIZE = 2
    theirs = ActivityFactory(owner=outsider)
    mine = [ActivityFactory(owner=recruiter) for _ in range(3)]

    response = as_recruiter.get(URL, {"after": theirs.pk})

    assert set(_ids(response)) < {a.pk for a in mine}
    assert len(_ids(response)) == 2


# Query count


def _log(owner, count: int) -> None:
    for _ in range(count):
        contacts = ContactFactory.create_batch(2, owner=owner)
        ActivityFactory(owner=owner, contacts=contacts, follow_up_on=timezone.localdate())


@pytest.mark.parametrize("count", [5, 40])
def test_it_runs_a_fixed_number_of_queries_for_a_recruiter(
    as_recruiter, recruiter, settings, django_assert_max_num_queries, count
):
    settings.NETLOG_PAGE_SIZE = 50
    _log(recruiter, count)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = as_recruiter.get(URL)

    assert len(_summaries(response)) == count


@pytest.mark.parametrize("count", [5, 40])
def test_it_runs_a_fixed_number_of_queries_for_a_manager(
    as_manager, recruiter, teammate, settings, django_assert_max_num_queries, count
):
    settings.NETLOG_PAGE_SIZE = 50
    _log(recruiter, count // 2)
    _log(teammate, count - count // 2)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = as_manager.get(URL, {"q": "a", "follow_up": "open"})

    assert response.status_code == 200


def test_it_adds_one_query_to_find_the_cursor_row(
    as_manager, recruiter, settings, django_assert_max_num_queries
):
    settings.NETLOG_PAGE_SIZE = 10
    _log(recruiter, 25)
    first = as_manager.get(URL)

    with django_assert_max_num_queries(MAX_QUERIES + 1):
        second = as_manager.get(URL + _link(first, "next"))

    assert len(_summaries(second)) == 10


@pytest.mark.parametrize("client_name", ["as_recruiter", "as_manager"])
def test_its_query_count_does_not_grow_with_the_log(
    request, recruiter, teammate, settings, client_name
):
    settings.NETLOG_PAGE_SIZE = 50
    client = request.getfixturevalue(client_name)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    _log(recruiter, 5)
    with_5 = queries()
    _log(recruiter, 35)
    with_40 = queries()

    assert with_5 == with_40


# Each activity's contacts


def test_it_names_each_activitys_contacts_but_not_a_personal_one_to_a_manager(
    as_recruiter, as_manager, recruiter
):
    client = ContactFactory(owner=recruiter, first_name="Clara", last_name="Client")
    friend = ContactFactory(
        owner=recruiter, first_name="Freda", last_name="Friend", kind="personal"
    )
    ActivityFactory(owner=recruiter, contacts=[client, friend], summary="Lunch with both")

    mine = as_recruiter.get(URL).content.decode()
    theirs = as_manager.get(URL).content.decode()

    assert f'<a href="{client.get_absolute_url()}">Clara Client</a>' in mine
    assert f'<a href="{friend.get_absolute_url()}">Freda Friend</a>' in mine
    assert "Clara Client" in theirs and "Lunch with both" in theirs
    assert "Freda" not in theirs
