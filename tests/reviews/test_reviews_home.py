"""GET /reviews/: who needs attention (stay in touch), reviews due, open next actions
and recent reviews, for the contacts the user may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from reviews.models import Cadence, Decision, Review
from reviews.views import ATTENTION_SHOWN
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

URL = reverse("reviews:home")
DAY = datetime.timedelta(days=1)
# Pinned: the session, the user, then one query each for how many need attention,
# those needing attention and those due a review (with their cadences), the open next
# actions and the recent reviews.
MAX_QUERIES = 7


def contact(owner, first_name: str, days_since: int | None, kind: str = Kind.CLIENT, **more):
    """A contact added long ago, last in touch `days_since` days ago (None: never);
    `reviewed=n`: last reviewed n days ago (to keep in touch)."""
    added = more.get("added", timezone.now() - 400 * DAY)
    made = ContactFactory(
        owner=owner, first_name=first_name, last_name="Test", kind=kind, created_at=added
    )
    if days_since is not None:
        ActivityFactory(owner=owner, contacts=[made], date=timezone.localdate() - days_since * DAY)
    if more.get("reviewed") is not None:
        review(owner, made, days_ago=more["reviewed"])
    return made


def kept(owner, first_name: str, days_since: int | None, kind: str = Kind.CLIENT, **more):
    """A contact reviewed last week (to maintain), last in touch `days_since` days ago."""
    return contact(owner, first_name, days_since, kind, reviewed=7, **more)


def review(owner, about, days_ago: int = 10, **fields) -> Review:
    values = {
        "value": 3,
        "activity": 3,
        "potential": 3,
        "rationale": "Steady.",
        "decision": Decision.MAINTAIN,
    }
    return Review.objects.create(
        owner=owner,
        contact=about,
        reviewed_on=timezone.localdate() - days_ago * DAY,
        **{**values, **fields},
    )


def _attention(response) -> list[tuple[str, str, int]]:
    return [(r.contact.first_name, r.state, r.past_ideal) for r in response.context["attention"]]


def _due(response) -> list[str]:
    return [row.contact.first_name for row in response.context["reviews_due"]]


def _names(reviews) -> list[str]:
    return [r.contact.first_name for r in reviews]


# Who needs attention


def test_it_lists_who_needs_attention_most_overdue_first(as_recruiter, recruiter):
    kept(recruiter, "Ninety", 90)  # on the ideal gap: still in touch
    kept(recruiter, "Recent", 10)
    kept(recruiter, "Due", 100)
    kept(recruiter, "Overdue", 200)
    kept(recruiter, "Ninetyone", 91)
    # Never logged: counted from when they were added.
    kept(recruiter, "Never", None, Kind.REFERRER, added=timezone.now() - 95 * DAY)

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert _attention(response) == [
        ("Overdue", "overdue", 110),
        ("Due", "due", 10),
        ("Never", "due", 5),
        ("Ninetyone", "due", 1),
    ]
    assert response.context["attention_total"] == 4


def test_it_lists_the_most_overdue_first_few_and_counts_the_rest(as_recruiter, recruiter):
    for n in range(ATTENTION_SHOWN + 2):
        contact(recruiter, f"Late{n:02}", 200 + n)  # never reviewed: due a review too

    response = as_recruiter.get(URL)

    rows = _attention(response)
    assert len(rows) == ATTENTION_SHOWN
    assert rows[0] == (f"Late{ATTENTION_SHOWN + 1:02}", "overdue", 110 + ATTENTION_SHOWN + 1)
    assert len(_due(response)) == ATTENTION_SHOWN
    html = response.content.decode()
    assert f"The {ATTENTION_SHOWN} most overdue of {ATTENTION_SHOWN + 2}." in html
    assert f"The first {ATTENTION_SHOWN} of {ATTENTION_SHOWN + 2}." in html
    badge = '<span class="badge text-bg-danger">overdue</span>'
    assert html.count(badge) == ATTENTION_SHOWN + 1  # and once in the key above the list


def test_it_lists_a_contact_never_reviewed_who_needs_attention(as_recruiter, recruiter):
    contact(recruiter, "Unreviewed", 100)

    assert _attention(as_recruiter.get(URL)) == [("Unreviewed", "due", 10)]


def test_it_turns_red_only_past_the_maximum_gap(as_recruiter, recruiter):
    kept(recruiter, "Maximum", 180)
    kept(recruiter, "Past", 181)

    response = as_recruiter.get(URL)

    assert _attention(response) == [("Past", "overdue", 91), ("Maximum", "due", 90)]
    html = response.content.decode()
    assert '<span class="badge text-bg-danger">overdue</span>' in html
    assert '<span class="badge text-bg-warning">due</span>' in html


def test_it_says_when_everyone_is_in_touch(as_recruiter, recruiter):
    kept(recruiter, "Recent", 10)

    response = as_recruiter.get(URL)

    assert response.context["attention"] == []
    assert "Everyone is in touch." in response.content.decode()


def test_it_leaves_out_personal_contacts(as_recruiter, recruiter):
    # Reviewed back when they were a client, so only their kind leaves them out.
    contact(recruiter, "Friend", 300, kind=Kind.PERSONAL, reviewed=200)
    contact(recruiter, "Client", 300, reviewed=200)

    response = as_recruiter.get(URL)

    assert [name for name, *_ in _attention(response)] == ["Client"]
    assert _due(response) == ["Client"]


def test_it_leaves_out_contacts_discontinued_at_their_last_review(as_recruiter, recruiter):
    dropped = contact(recruiter, "Dropped", 300)
    review(recruiter, dropped, days_ago=5, decision=Decision.DISCONTINUE)
    revived = contact(recruiter, "Revived", 300)
    review(recruiter, revived, days_ago=50, decision=Decision.DISCONTINUE)
    review(recruiter, revived, days_ago=5, decision=Decision.STRENGTHEN)

    response = as_recruiter.get(URL)

    assert [name for name, *_ in _attention(response)] == ["Revived"]


def test_it_counts_a_contacts_own_cadence_before_its_kinds(as_recruiter, recruiter):
    own = kept(recruiter, "Own", 40)
    Cadence.objects.create(owner=recruiter, contact=own, ideal_days=30, max_days=35)
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=200, max_days=300)
    kept(recruiter, "Kind", 150)  # within the clients' 200 days
    kept(recruiter, "Peer", 150, kind=Kind.INDUSTRY_PEER)  # the default 90 / 180

    response = as_recruiter.get(URL)

    assert _attention(response) == [("Own", "overdue", 10), ("Peer", "due", 60)]


def test_it_ignores_another_recruiters_cadence_for_the_kind(as_recruiter, recruiter, teammate):
    Cadence.objects.create(owner=teammate, kind=Kind.CLIENT, ideal_days=200, max_days=300)
    kept(recruiter, "Mine", 100)

    assert _attention(as_recruiter.get(URL)) == [("Mine", "due", 10)]


# Reviews due


def test_it_lists_contacts_not_reviewed_for_six_months(as_recruiter, recruiter):
    contact(recruiter, "Lately", 10, reviewed=10)
    contact(recruiter, "Edge", 10, reviewed=180)
    contact(recruiter, "Stale", 10, reviewed=181)

    response = as_recruiter.get(URL)

    assert _due(response) == ["Stale"]
    assert "last reviewed" in response.content.decode()


def test_it_lists_contacts_never_reviewed_as_due_a_review(as_recruiter, recruiter):
    contact(recruiter, "Never", 10)

    response = as_recruiter.get(URL)

    assert _due(response) == ["Never"]
    assert "never reviewed" in response.content.decode()


def test_it_offers_the_owner_a_review_of_each_contact_due(as_recruiter, recruiter):
    due = contact(recruiter, "Stale", 10, reviewed=200)

    html = as_recruiter.get(URL).content.decode()

    assert reverse("reviews:review_create", args=[due.pk]) in html


# Next actions and recent reviews


def test_it_lists_open_next_actions_soonest_first(as_recruiter, recruiter):
    today = timezone.localdate()
    later = review(
        recruiter, contact(recruiter, "Later", 5), next_actions="B", next_action_on=today + DAY
    )
    late = review(
        recruiter, contact(recruiter, "Late", 5), next_actions="A", next_action_on=today - DAY
    )
    review(
        recruiter,
        contact(recruiter, "Done", 5),
        next_actions="C",
        next_action_on=today - 2 * DAY,
        next_action_done_at=timezone.now(),
    )
    review(recruiter, contact(recruiter, "None", 5))

    response = as_recruiter.get(URL)

    assert list(response.context["actions"]) == [late, later]
    assert '<strong class="text-danger">' in response.content.decode()


def test_it_lists_recent_reviews_newest_first(as_recruiter, recruiter):
    old = review(recruiter, contact(recruiter, "Old", 5), days_ago=100)
    new = review(recruiter, contact(recruiter, "New", 5), days_ago=1)
    gone = review(recruiter, None, days_ago=50)

    response = as_recruiter.get(URL)

    assert list(response.context["recent"]) == [new, gone, old]
    assert "a contact no longer held" in response.content.decode()


def test_it_lists_at_most_twenty_recent_reviews(as_recruiter, recruiter):
    sam = contact(recruiter, "Sam", 5)
    for days_ago in range(25):
        review(recruiter, sam, days_ago=days_ago)

    response = as_recruiter.get(URL)

    assert len(response.context["recent"]) == 20
    assert response.context["recent"][0].reviewed_on == timezone.localdate()


# Whose


def test_a_recruiter_sees_only_their_own(as_recruiter, recruiter, teammate):
    review(recruiter, contact(recruiter, "Mine", 300), next_actions="x", next_action_on=None)
    theirs = contact(teammate, "Theirs", 300)
    review(teammate, theirs, next_actions="y", next_action_on=timezone.localdate())

    response = as_recruiter.get(URL)

    assert [name for name, *_ in _attention(response)] == ["Mine"]
    assert _names(response.context["recent"]) == ["Mine"]
    assert list(response.context["actions"]) == []
    assert "Theirs" not in response.content.decode()


def test_a_manager_sees_the_teams_without_personal_contacts_or_other_teams(
    as_manager, recruiter, teammate, outsider
):
    today = timezone.localdate()
    mine = contact(recruiter, "Mine", 300)
    review(recruiter, mine, days_ago=200, next_actions="a", next_action_on=today)
    theirs = contact(teammate, "Theirs", 150)
    review(teammate, theirs, days_ago=5)
    contact(recruiter, "Friend", 300, kind=Kind.PERSONAL)
    elsewhere = contact(outsider, "Elsewhere", 300)
    review(outsider, elsewhere, next_actions="b", next_action_on=today)

    response = as_manager.get(URL)

    assert [name for name, *_ in _attention(response)] == ["Mine", "Theirs"]
    assert _due(response) == ["Mine"]
    assert _names(response.context["actions"]) == ["Mine"]
    assert _names(response.context["recent"]) == ["Theirs", "Mine"]
    html = response.content.decode()
    assert "Friend" not in html and "Elsewhere" not in html
    assert "Held by" in html
    # A manager changes nothing: no review buttons.
    assert reverse("reviews:review_create", args=[mine.pk]) not in html


def test_a_manager_does_not_see_reviews_of_a_contact_now_personal(as_manager, recruiter):
    friend = contact(recruiter, "Friend", 5)
    review(recruiter, friend, next_actions="a", next_action_on=timezone.localdate())
    friend.kind = Kind.PERSONAL
    friend.save()

    response = as_manager.get(URL)

    assert list(response.context["recent"]) == []
    assert list(response.context["actions"]) == []


def test_an_assessor_is_refused(assessor, recruiter):
    review(recruiter, contact(recruiter, "Mine", 300))

    assert client_for(assessor).get(URL).status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


# Queries


def _grow(owner, count: int) -> None:
    """`count` contacts of every professional kind, each overdue, reviewed long ago
    with an open next action, half of them with a cadence of their own."""
    kinds = Kind.professional()
    for i in range(count):
        made = contact(owner, f"C{i}", 200, kind=kinds[i % len(kinds)])
        review(
            owner,
            made,
            days_ago=200,
            next_actions="Call",
            next_action_on=timezone.localdate() - DAY,
        )
        if i % 2:
            Cadence.objects.create(owner=owner, contact=made, ideal_days=30, max_days=60)
    for kind in kinds[:2]:
        Cadence.objects.get_or_create(
            owner=owner, kind=kind, defaults={"ideal_days": 60, "max_days": 120}
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

    assert len(response.context["attention"]) == min(count, ATTENTION_SHOWN)
    assert len(response.context["actions"]) == min(count, ATTENTION_SHOWN)


def test_its_query_count_does_not_grow_with_the_network(
    as_recruiter, recruiter, django_assert_max_num_queries
):
    _grow(recruiter, 2)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        as_recruiter.get(URL)
    _grow(recruiter, 40)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_recruiter.get(URL)

    assert response.context["attention_total"] == 42
