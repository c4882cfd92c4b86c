"""GET and POST /activities/<pk>/edit/: the owner corrects an activity."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import ActivityType, Direction
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam")


@pytest.fixture
def activity(recruiter, sam):
    return ActivityFactory(
        owner=recruiter,
        date=timezone.localdate() - 5 * DAY,
        contacts=[sam],
        type=ActivityType.CALL,
        summary="Original summary",
    )


def _url(activity) -> str:
    return reverse("contacts:activity_edit", args=[activity.pk])


def _valid(*contacts, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "type": ActivityType.MEETING,
        "date": str(today - 4 * DAY),
        "contacts": [c.pk for c in contacts],
        "summary": "Corrected summary",
        "outcome": "Two CVs requested",
        "context": "Their office",
        "direction": Direction.GIVEN,
        "follow_up_on": str(today + DAY),
    }
    return {**data, **overrides}


def _assert_unchanged(activity, sam) -> None:
    activity.refresh_from_db()
    assert activity.summary == "Original summary"
    assert activity.type == ActivityType.CALL
    assert activity.date == timezone.localdate() - 5 * DAY
    assert activity.follow_up_on is None
    assert list(activity.contacts.all()) == [sam]


def test_it_shows_the_form_filled_in(as_recruiter, activity, sam):
    response = as_recruiter.get(_url(activity))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.instance == activity
    assert form["summary"].value() == "Original summary"
    assert form["contacts"].value() == [sam.pk]
    assert "Edit activity" in response.content.decode()


def test_it_saves_the_changes(as_recruiter, recruiter, activity, sam):
    alex = ContactFactory(owner=recruiter, first_name="Alex")

    response = as_recruiter.post(_url(activity), _valid(sam, alex))

    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    activity.refresh_from_db()
    assert activity.summary == "Corrected summary"
    assert activity.type == ActivityType.MEETING
    assert activity.date == timezone.localdate() - 4 * DAY
    assert activity.follow_up_on == timezone.localdate() + DAY
    assert set(activity.contacts.all()) == {sam, alex}
    assert activity.owner == recruiter


def test_it_keeps_a_done_follow_up_done(as_recruiter, activity, sam):
    done_at = timezone.now() - datetime.timedelta(hours=3)
    activity.follow_up_on = timezone.localdate()
    activity.follow_up_done_at = done_at
    activity.save()

    as_recruiter.post(_url(activity), _valid(sam, follow_up_on=str(timezone.localdate())))

    activity.refresh_from_db()
    assert activity.follow_up_done_at == done_at


def test_it_reopens_a_done_follow_up_given_a_new_date(as_recruiter, activity, sam):
    activity.follow_up_on = timezone.localdate()
    activity.follow_up_done_at = timezone.now()
    activity.save()
    new_date = timezone.localdate() + 14 * DAY

    as_recruiter.post(_url(activity), _valid(sam, follow_up_on=str(new_date)))

    activity.refresh_from_db()
    assert activity.follow_up_on == new_date
    assert activity.follow_up_done_at is None
    assert activity.follow_up_state(timezone.localdate()) == "later"


@pytest.mark.parametrize(
    "field, overrides",
    [
        ("contacts", lambda today: {"contacts": []}),
        ("summary", lambda today: {"summary": ""}),
        ("date", lambda today: {"date": str(today + DAY)}),
        ("follow_up_on", lambda today: {"follow_up_on": str(today - 10 * DAY)}),
    ],
)
def test_it_shows_the_error_and_saves_nothing(as_recruiter, activity, sam, field, overrides):
    data = {**_valid(sam), **overrides(timezone.localdate())}

    response = as_recruiter.post(_url(activity), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}_error"' in response.content.decode()
    _assert_unchanged(activity, sam)


def test_it_rejects_another_recruiters_contact(as_recruiter, activity, sam, outsider):
    theirs = ContactFactory(owner=outsider)

    response = as_recruiter.post(_url(activity), _valid(sam, theirs))

    assert list(response.context["form"].errors) == ["contacts"]
    _assert_unchanged(activity, sam)
    assert not theirs.activities.exists()


def test_it_hides_the_activity_from_an_outsider(as_outsider, activity, sam):
    assert as_outsider.get(_url(activity)).status_code == 404
    assert as_outsider.post(_url(activity), _valid(sam)).status_code == 404
    _assert_unchanged(activity, sam)


def test_it_hides_the_activity_from_a_teammate(teammate, activity, sam):
    client = client_for(teammate)

    assert client.post(_url(activity), _valid(sam)).status_code == 404
    _assert_unchanged(activity, sam)


def test_it_forbids_the_teams_manager_to_change_it(as_manager, activity, sam):
    assert as_manager.get(_url(activity)).status_code == 403
    assert as_manager.post(_url(activity), _valid(sam)).status_code == 403
    _assert_unchanged(activity, sam)


def test_it_hides_the_activity_from_another_teams_manager(other_manager, activity, sam):
    client = client_for(other_manager)

    assert client.post(_url(activity), _valid(sam)).status_code == 404
    _assert_unchanged(activity, sam)


def test_it_forbids_the_dpo_to_change_it(dpo, activity, sam):
    assert client_for(dpo).post(_url(activity), _valid(sam)).status_code == 403
    _assert_unchanged(activity, sam)
