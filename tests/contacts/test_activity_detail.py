"""GET /activities/<pk>/: one activity, for whoever may read it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def activity(recruiter):
    today = timezone.localdate()
    return ActivityFactory(
        owner=recruiter,
        date=today - 5 * DAY,
        contacts=[
            ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor"),
            ContactFactory(owner=recruiter, first_name="Alex", last_name="Brennan"),
        ],
        summary="Lunch to discuss the platform team's hiring plan",
        context="Dishoom, King's Cross",
        follow_up_on=today - DAY,
    )


def _url(activity) -> str:
    return reverse("contacts:activity_detail", args=[activity.pk])


def _edit_links(activity) -> list[str]:
    return [
        reverse("contacts:activity_edit", args=[activity.pk]),
        reverse("contacts:activity_delete", args=[activity.pk]),
        reverse("contacts:activity_follow_up_done", args=[activity.pk]),
    ]


def test_it_shows_the_owner_their_activity(as_recruiter, activity):
    response = as_recruiter.get(_url(activity))

    assert response.status_code == 200
    assert response.context["activity"] == activity
    content = response.content.decode()
    assert "Lunch to discuss the platform team&#x27;s hiring plan" in content
    assert "Sam Okafor" in content
    assert "Alex Brennan" in content
    assert "Dishoom, King&#x27;s Cross" in content


def test_it_offers_the_owner_edit_delete_and_mark_done(as_recruiter, activity):
    response = as_recruiter.get(_url(activity))

    assert response.context["editable"] is True
    for link in _edit_links(activity):
        assert link in response.content.decode()


def test_it_flags_an_overdue_follow_up(as_recruiter, activity):
    response = as_recruiter.get(_url(activity))

    assert '<span class="badge text-bg-danger">overdue</span>' in response.content.decode()


def test_it_shows_when_a_follow_up_was_done(as_recruiter, activity):
    activity.follow_up_done_at = timezone.now()
    activity.save()

    response = as_recruiter.get(_url(activity))

    content = response.content.decode()
    assert f"done {timezone.localdate():%-d %b %Y}" in content
    assert "Mark done" not in content


def test_it_lists_the_outcomes_the_activity_led_to(as_recruiter, recruiter, activity):
    outcome = OutcomeFactory(owner=recruiter)
    outcome.activities.add(activity)

    response = as_recruiter.get(_url(activity))

    assert list(response.context["outcomes"]) == [outcome]
    assert str(outcome) in response.content.decode()


def test_it_hides_the_activity_from_an_outsider(as_outsider, activity):
    assert as_outsider.get(_url(activity)).status_code == 404


def test_it_hides_the_activity_from_a_teammate(teammate, activity):
    assert client_for(teammate).get(_url(activity)).status_code == 404


def test_it_lets_the_teams_manager_read_but_not_change(as_manager, recruiter, activity):
    response = as_manager.get(_url(activity))

    assert response.status_code == 200
    assert response.context["editable"] is False
    content = response.content.decode()
    assert "Lunch to discuss the platform team&#x27;s hiring plan" in content
    assert f'Logged by</dt><dd class="col-sm-9">{escape(recruiter)}</dd>' in content
    for link in _edit_links(activity):
        assert link not in content


def test_it_hides_the_activity_from_another_teams_manager(other_manager, activity):
    assert client_for(other_manager).get(_url(activity)).status_code == 404


def test_it_lets_the_dpo_read(dpo, activity):
    response = client_for(dpo).get(_url(activity))

    assert response.status_code == 200
    assert response.context["editable"] is False


def test_it_refuses_an_assessor(assessor, activity):
    assert client_for(assessor).get(_url(activity)).status_code == 403


def test_it_answers_404_for_an_unknown_activity(as_recruiter):
    response = as_recruiter.get(reverse("contacts:activity_detail", args=[999999]))

    assert response.status_code == 404
