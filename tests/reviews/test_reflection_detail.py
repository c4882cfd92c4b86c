"""GET /reflections/<pk>/: one reflection and what it is linked to."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from reviews.models import Criterion, Decision, EvidenceLink, Reflection, Review
from tests.conftest import client_for, hidden_from
from tests.factories import ActivityFactory, ContactFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor", kind=Kind.CLIENT)


@pytest.fixture
def friend(recruiter):
    return ContactFactory(
        owner=recruiter, first_name="Fern", last_name="Privat", kind=Kind.PERSONAL
    )


@pytest.fixture
def reflection(recruiter, sam, friend):
    sams_review = Review.objects.create(
        owner=recruiter,
        contact=sam,
        reviewed_on=timezone.localdate() - 5 * DAY,
        value=4,
        activity=3,
        potential=4,
        rationale="Good source of senior roles.",
        decision=Decision.STRENGTHEN,
    )
    made = Reflection.objects.create(
        owner=recruiter,
        title="The fintech breakfast",
        written_on=timezone.localdate() - 3 * DAY,
        text="Two warm introductions; I will go every quarter.",
    )
    made.contacts.set([sam, friend])
    made.activities.set(
        [
            ActivityFactory(owner=recruiter, contacts=[sam], summary="Breakfast with Sam"),
            ActivityFactory(owner=recruiter, contacts=[friend], summary="Dinner with Fern"),
        ]
    )
    made.reviews.set([sams_review])
    return made


def _url(reflection: Reflection) -> str:
    return reverse("reviews:reflection_detail", args=[reflection.pk])


def test_it_shows_the_reflection_and_its_links_to_the_owner(as_recruiter, reflection, sam, friend):
    response = as_recruiter.get(_url(reflection))

    assert response.status_code == 200
    assert response.context["editable"] is True
    assert set(response.context["contacts"]) == {sam, friend}
    assert len(response.context["activities"]) == 2
    html = response.content.decode()
    assert "The fintech breakfast" in html
    assert "Two warm introductions; I will go every quarter." in html
    assert "Sam Okafor" in html and "Fern Privat" in html
    assert reflection.reviews.get().get_absolute_url() in html
    assert reverse("reviews:reflection_edit", args=[reflection.pk]) in html
    assert reverse("reviews:reflection_delete", args=[reflection.pk]) in html
    assert reverse("reviews:evidence_edit", args=["reflection", reflection.pk]) in html


def test_it_lists_the_criteria_it_evidences(as_recruiter, recruiter, reflection):
    linked, unlinked = Criterion.objects.all()[:2]
    EvidenceLink.objects.create(owner=recruiter, criterion=linked, reflection=reflection)

    response = as_recruiter.get(_url(reflection))

    assert list(response.context["criteria"]) == [linked]
    html = response.content.decode()
    assert str(linked) in html
    assert str(unlinked) not in html


def test_it_says_when_it_evidences_no_criterion(as_recruiter, reflection):
    assert "None yet." in as_recruiter.get(_url(reflection)).content.decode()


def test_the_teams_manager_reads_it_without_the_recruiters_private_life(
    as_manager, reflection, sam
):
    response = as_manager.get(_url(reflection))

    assert response.status_code == 200
    assert response.context["editable"] is False
    assert list(response.context["contacts"]) == [sam]
    assert [a.summary for a in response.context["activities"]] == ["Breakfast with Sam"]
    html = response.content.decode()
    assert "Two warm introductions" in html
    assert "Fern" not in html and "Privat" not in html
    assert reverse("reviews:reflection_edit", args=[reflection.pk]) not in html
    assert reverse("reviews:reflection_delete", args=[reflection.pk]) not in html


def test_the_dpo_reads_it(dpo, reflection):
    assert client_for(dpo).get(_url(reflection)).status_code == 200


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_reflection_from_anyone_outside_its_scope(request, reflection, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(_url(reflection)).status_code == hidden_from(role)


def test_it_answers_404_for_a_reflection_that_does_not_exist(as_recruiter):
    url = reverse("reviews:reflection_detail", args=[999999])

    assert as_recruiter.get(url).status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, reflection):
    response = client.get(_url(reflection))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={_url(reflection)}"
