"""POST /activities/<pk>/follow-up-done/: mark an activity's follow-up as done."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Activity
from tests.conftest import client_for
from tests.factories import ActivityFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def activity(recruiter):
    today = timezone.localdate()
    return ActivityFactory(owner=recruiter, date=today - 3 * DAY, follow_up_on=today - DAY)


def _url(activity) -> str:
    return reverse("contacts:activity_follow_up_done", args=[activity.pk])


def _done_at(activity) -> datetime.datetime | None:
    return Activity.objects.values_list("follow_up_done_at", flat=True).get(pk=activity.pk)


def test_it_marks_the_follow_up_done(as_recruiter, activity):
    before = timezone.now()

    response = as_recruiter.post(_url(activity))

    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert before <= _done_at(activity) <= timezone.now()


def test_it_shows_the_follow_up_as_done(as_recruiter, activity):
    response = as_recruiter.post(_url(activity), follow=True)

    assert "Follow-up marked as done." in response.content.decode()
    assert response.context["activity"].follow_up_state(timezone.localdate()) == "done"


def test_it_keeps_the_first_done_time_on_a_second_post(as_recruiter, activity):
    as_recruiter.post(_url(activity))
    first = _done_at(activity)

    response = as_recruiter.post(_url(activity))

    assert response.status_code == 302
    assert _done_at(activity) == first


def test_it_rejects_get(as_recruiter, activity):
    response = as_recruiter.get(_url(activity))

    assert response.status_code == 405
    assert _done_at(activity) is None


def test_it_hides_the_activity_from_an_outsider(as_outsider, activity):
    assert as_outsider.post(_url(activity)).status_code == 404
    assert _done_at(activity) is None


def test_it_hides_the_activity_from_a_teammate(teammate, activity):
    assert client_for(teammate).post(_url(activity)).status_code == 404
    assert _done_at(activity) is None


def test_it_forbids_the_teams_manager(as_manager, activity):
    assert as_manager.post(_url(activity)).status_code == 403
    assert _done_at(activity) is None


def test_it_hides_the_activity_from_another_teams_manager(other_manager, activity):
    assert client_for(other_manager).post(_url(activity)).status_code == 404
    assert _done_at(activity) is None


def test_it_goes_back_to_a_local_next_page(as_recruiter, activity):
    response = as_recruiter.post(_url(activity), {"next": "/?from=dashboard"})

    assert response["Location"] == "/?from=dashboard"


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example/",
        "https://evil.example/",
        "http://evil.example/activities/",
        "evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_it_ignores_a_next_page_off_the_site(as_recruiter, activity, next_url):
    response = as_recruiter.post(_url(activity), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert _done_at(activity) is not None


@pytest.mark.parametrize("next_url", ["/\\evil.example/", "/\t/evil.example/"])
def test_it_never_redirects_to_a_url_a_browser_reads_as_off_site(as_recruiter, activity, next_url):
    # Browsers read "/\host" and "/<tab>/host" as "//host"; the redirect must not
    # hand them such a URL unescaped.
    response = as_recruiter.post(_url(activity), {"next": next_url})

    location = response["Location"]
    assert location.startswith("/")
    assert not location.replace("\\", "/").replace("\t", "").startswith("//")


def test_it_marks_nothing_when_there_is_no_follow_up(as_recruiter, recruiter):
    # Otherwise a follow-up added later would show as done from the start.
    activity = ActivityFactory(owner=recruiter, follow_up_on=None)

    response = as_recruiter.post(_url(activity))

    assert response.status_code == 302
    assert _done_at(activity) is None
