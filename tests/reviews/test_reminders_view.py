"""GET /reminders/: today's digest in the app, the same items the daily email counts,
each linking to where it is dealt with. It is about the signed-in user's own items."""

import datetime
import re
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Channel, Contact, Kind
from reviews.models import Decision, Review, TestimonyRequest
from reviews.reminders import digest_for
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, DataRequestFactory

URL = reverse("reviews:reminders")
DAY = datetime.timedelta(days=1)
NOTHING = "Nothing to act on today."


def _today() -> datetime.date:
    return timezone.localdate()


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - days * DAY


def _contact(owner, name: str, **fields) -> Contact:
    fields = {"kind": Kind.CLIENT, "source_channel": Channel.INBOUND, **fields}
    return ContactFactory(owner=owner, first_name=name, last_name="Quixley", **fields)


def _section(page: str, heading_id: str) -> str:
    found = re.search(rf'<ul[^>]*aria-labelledby="{heading_id}".*?</ul>', page, re.S)
    assert found, f"no section {heading_id}"
    return found.group(0)


def _page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def due(recruiter):
    """One of each of the recruiter's items due today."""
    today = _today()
    spoken = _contact(recruiter, "Spoken")
    follow_up = ActivityFactory(
        owner=recruiter, contacts=[spoken], date=today - 5 * DAY, follow_up_on=today - DAY
    )
    review = Review.objects.create(
        owner=recruiter,
        contact=spoken,
        reviewed_on=today - 20 * DAY,
        value=3,
        activity=3,
        potential=3,
        rationale="Reasons.",
        decision=Decision.STRENGTHEN,
        next_actions="Introduce them to the platform team.",
        next_action_on=today,
    )
    silent = _contact(recruiter, "Silent", created_at=_ago(200))
    witness = _contact(recruiter, "Witness")
    request = TestimonyRequest.objects.create(
        owner=recruiter,
        contact=witness,
        token_hash=secrets.token_hex(32),
        created_at=_ago(4),
        expires_at=timezone.now() + 3 * DAY,
    )
    unnoticed = _contact(
        recruiter, "Unnoticed", source_channel=Channel.LINKEDIN, created_at=_ago(40)
    )
    return {
        "follow_up": follow_up,
        "review": review,
        "silent": silent,
        "request": request,
        "unnoticed": unnoticed,
    }


def test_it_shows_each_item_with_a_link(as_recruiter, due):
    page = _page(as_recruiter)

    follow_up = due["follow_up"]
    assert f'<a href="{follow_up.get_absolute_url()}">{follow_up}</a>' in _section(
        page, "r-follow-ups"
    )
    review = _section(page, "r-actions")
    assert f'<a href="{due["review"].get_absolute_url()}">' in review
    assert "Introduce them to the platform team." in review
    assert f'<a href="{due["silent"].get_absolute_url()}">Silent Quixley</a>' in _section(
        page, "r-touch"
    )
    testimonies = _section(page, "r-testimonies")
    assert f'<a href="{due["request"].contact.get_absolute_url()}">Witness Quixley</a>' in (
        testimonies
    )
    assert f'<a href="{due["unnoticed"].get_absolute_url()}">Unnoticed Quixley</a>' in _section(
        page, "r-notices"
    )
    assert NOTHING not in page


def test_it_shows_the_same_items_as_the_digest(as_recruiter, recruiter, due):
    page = _page(as_recruiter)

    digest = digest_for(recruiter, _today())
    sections = {
        "r-follow-ups": digest.follow_ups,
        "r-actions": digest.review_actions,
        "r-touch": digest.out_of_touch,
        "r-testimonies": digest.testimony_requests,
        "r-notices": digest.notices_overdue,
    }
    for heading_id, items in sections.items():
        assert _section(page, heading_id).count("<li") == len(items) == 1
    assert 'id="r-requests"' not in page


def test_it_leaves_out_what_is_not_yet_due_or_already_done(as_recruiter, recruiter):
    today = _today()
    contact = _contact(recruiter, "Later")
    ActivityFactory(owner=recruiter, contacts=[contact], date=today, follow_up_on=today + DAY)
    ActivityFactory(
        owner=recruiter,
        contacts=[contact],
        date=today - DAY,
        follow_up_on=today,
        follow_up_done_at=timezone.now(),
    )

    page = _page(as_recruiter)

    assert NOTHING in page
    assert "r-follow-ups" not in page


def test_it_says_when_there_is_nothing_to_act_on(as_recruiter):
    page = _page(as_recruiter)

    assert NOTHING in page
    assert "list-group-item" not in page


def test_it_shows_the_dpo_data_requests_near_their_deadline(dpo):
    soon = DataRequestFactory(received_by=dpo, due_on=_today() + 3 * DAY)
    DataRequestFactory(received_by=dpo, due_on=_today() + 30 * DAY)  # later

    page = _page(client_for(dpo))

    requests = _section(page, "r-requests")
    assert f'<a href="{soon.get_absolute_url()}">{soon}</a>' in requests
    assert requests.count("<li") == 1


@pytest.mark.parametrize("role", ["recruiter", "teammate", "manager", "dpo"])
def test_it_opens_for_every_role_but_the_assessor(request, role):
    response = client_for(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 200
    assert "Today's reminders</h1>" in response.content.decode()


@pytest.mark.parametrize("role", ["teammate", "outsider", "manager", "other_manager"])
def test_it_shows_no_one_else_the_recruiters_items(request, due, role):
    page = _page(client_for(request.getfixturevalue(role)))

    assert NOTHING in page
    assert "Quixley" not in page


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_its_queries_do_not_grow_with_the_items(
    as_recruiter, recruiter, due, django_assert_max_num_queries
):
    # The session and the user, then one read per kind of item.
    with django_assert_max_num_queries(9) as few:
        _page(as_recruiter)
    today = _today()
    for n in range(10):
        contact = _contact(recruiter, f"More{n}", created_at=_ago(300))
        ActivityFactory(
            owner=recruiter, contacts=[contact], date=today - 200 * DAY, follow_up_on=today
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = _page(as_recruiter)
    assert _section(page, "r-follow-ups").count("<li") == 11
