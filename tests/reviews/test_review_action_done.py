"""POST /reviews/<pk>/action-done/: mark a review's next action as done."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from privacy.models import Action, AuditEvent
from reviews.models import Decision, Review
from tests.conftest import client_for, hidden_from
from tests.factories import ContactFactory

DAY = datetime.timedelta(days=1)


def review(owner, **fields) -> Review:
    values = {
        "contact": ContactFactory(owner=owner, kind=Kind.CLIENT),
        "reviewed_on": timezone.localdate() - 10 * DAY,
        "value": 4,
        "activity": 3,
        "potential": 4,
        "rationale": "Good source of senior roles.",
        "decision": Decision.STRENGTHEN,
        "next_actions": "Send her the salary survey",
        "next_action_on": timezone.localdate() - DAY,
    }
    return Review.objects.create(owner=owner, **{**values, **fields})


@pytest.fixture
def open_action(recruiter):
    return review(recruiter)


def _url(review: Review) -> str:
    return reverse("reviews:review_action_done", args=[review.pk])


def _done_at(review: Review) -> datetime.datetime | None:
    return Review.objects.values_list("next_action_done_at", flat=True).get(pk=review.pk)


def test_it_marks_the_next_action_done(as_recruiter, open_action):
    before = timezone.now()

    response = as_recruiter.post(_url(open_action))

    assert response.status_code == 302
    assert response["Location"] == open_action.get_absolute_url()
    assert before <= _done_at(open_action) <= timezone.now()


def test_it_records_an_audit_event(as_recruiter, recruiter, open_action):
    as_recruiter.post(_url(open_action))

    event = AuditEvent.objects.get(object_type="reviews.review")
    assert (event.actor, event.action, event.object_id) == (
        recruiter,
        Action.CHANGED,
        open_action.pk,
    )
    assert event.detail == "action done"


def test_it_confirms_and_shows_the_action_as_done(as_recruiter, open_action):
    response = as_recruiter.post(_url(open_action), follow=True)

    html = response.content.decode()
    assert "Next action marked as done." in html
    assert "Done " in html
    assert not Review.objects.actions_open().exists()


def test_it_keeps_the_first_done_time_on_a_second_post(as_recruiter, open_action):
    as_recruiter.post(_url(open_action))
    first = _done_at(open_action)

    response = as_recruiter.post(_url(open_action))

    assert response.status_code == 302
    assert _done_at(open_action) == first


def test_it_marks_nothing_when_there_is_no_next_action(as_recruiter, recruiter):
    # Otherwise a next action added later would show as done from the start.
    without = review(recruiter, next_actions="", next_action_on=None)

    response = as_recruiter.post(_url(without))

    assert response.status_code == 302
    assert _done_at(without) is None


def test_it_marks_only_this_review(as_recruiter, recruiter, open_action):
    other = review(recruiter)

    as_recruiter.post(_url(open_action))

    assert _done_at(other) is None


def test_it_rejects_get(as_recruiter, open_action):
    response = as_recruiter.get(_url(open_action))

    assert response.status_code == 405
    assert _done_at(open_action) is None


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_review_from_anyone_outside_its_scope(request, open_action, role):
    client = client_for(request.getfixturevalue(role))

    assert client.post(_url(open_action)).status_code == hidden_from(role)
    assert _done_at(open_action) is None


@pytest.mark.parametrize("role", ["manager", "dpo"])
def test_it_forbids_those_who_may_only_read_the_review(request, open_action, role):
    client = client_for(request.getfixturevalue(role))

    assert client.post(_url(open_action)).status_code == 403
    assert _done_at(open_action) is None
    assert not AuditEvent.objects.filter(object_type="reviews.review").exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, open_action):
    response = client.post(_url(open_action))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _done_at(open_action) is None
