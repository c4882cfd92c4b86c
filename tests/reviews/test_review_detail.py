"""GET /reviews/<pk>/: one review, its scores and the criteria it evidences."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from reviews.models import Criterion, Decision, EvidenceLink, Review
from tests.conftest import client_for, hidden_from
from tests.factories import ContactFactory

DAY = datetime.timedelta(days=1)


def review(owner, contact, **fields) -> Review:
    values = {
        "reviewed_on": timezone.localdate() - 2 * DAY,
        "value": 4,
        "activity": 3,
        "potential": 5,
        "rationale": "Placed two engineers with her team this year.",
        "decision": Decision.STRENGTHEN,
    }
    return Review.objects.create(owner=owner, contact=contact, **{**values, **fields})


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor", kind=Kind.CLIENT)


@pytest.fixture
def sams_review(recruiter, sam):
    return review(recruiter, sam, suggested_activity=3)


def _url(review: Review) -> str:
    return reverse("reviews:review_detail", args=[review.pk])


def _scores(response) -> list[str]:
    table = re.search(r'aria-label="Scores">(.*?)</table>', response.content.decode(), re.S)
    cells = re.findall(r"<td>(.*?)</td>", table.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_it_shows_the_scores_the_total_and_the_reasoning(as_recruiter, sams_review):
    response = as_recruiter.get(_url(sams_review))

    assert response.status_code == 200
    assert _scores(response) == ["4/5", "3/5", "5/5", "12/15"]
    html = response.content.decode()
    assert "Review of Sam Okafor" in html
    assert "Decision: <strong>Strengthen</strong>" in html
    assert "Placed two engineers with her team this year." in html


def test_it_shows_the_logs_suggestion_when_the_score_differs(as_recruiter, recruiter, sam):
    differs = review(recruiter, sam, activity=4, suggested_activity=2)

    response = as_recruiter.get(_url(differs))

    assert _scores(response)[1] == "4/5 (log suggested 2)"


@pytest.mark.parametrize("suggested", [3, None])
def test_it_shows_no_suggestion_when_it_agrees_or_there_is_none(
    as_recruiter, recruiter, sam, suggested
):
    agrees = review(recruiter, sam, activity=3, suggested_activity=suggested)

    response = as_recruiter.get(_url(agrees))

    assert _scores(response)[1] == "3/5"
    assert "log suggested" not in response.content.decode()


def test_it_lists_the_criteria_the_review_is_linked_to(as_recruiter, recruiter, sams_review):
    first, second, unlinked = Criterion.objects.all()[:3]
    for criterion in (first, second):
        EvidenceLink.objects.create(owner=recruiter, criterion=criterion, review=sams_review)

    response = as_recruiter.get(_url(sams_review))

    assert set(response.context["criteria"]) == {first, second}
    html = response.content.decode()
    assert str(first) in html and str(second) in html
    assert str(unlinked) not in html


def test_it_says_when_the_review_evidences_no_criterion(as_recruiter, sams_review):
    response = as_recruiter.get(_url(sams_review))

    assert "Not linked to any criterion yet." in response.content.decode()


def test_it_offers_the_owner_the_criteria_and_the_open_next_action(as_recruiter, recruiter, sam):
    today = timezone.localdate()
    open_action = review(recruiter, sam, next_actions="Call about Q3", next_action_on=today)

    html = as_recruiter.get(_url(open_action)).content.decode()

    assert reverse("reviews:evidence_edit", args=["review", open_action.pk]) in html
    assert reverse("reviews:review_action_done", args=[open_action.pk]) in html
    assert "Call about Q3" in html


def test_it_shows_a_done_next_action_without_the_button(as_recruiter, recruiter, sam):
    done = review(
        recruiter,
        sam,
        next_actions="Call about Q3",
        next_action_on=timezone.localdate(),
        next_action_done_at=timezone.now(),
    )

    html = as_recruiter.get(_url(done)).content.decode()

    assert "Done " in html
    assert reverse("reviews:review_action_done", args=[done.pk]) not in html


def test_the_teams_manager_reads_it_without_the_owners_buttons(as_manager, recruiter, sam):
    open_action = review(
        recruiter, sam, next_actions="Call about Q3", next_action_on=timezone.localdate()
    )

    response = as_manager.get(_url(open_action))

    assert response.status_code == 200
    assert response.context["editable"] is False
    html = response.content.decode()
    assert "Placed two engineers" in html
    assert reverse("reviews:evidence_edit", args=["review", open_action.pk]) not in html
    assert reverse("reviews:review_action_done", args=[open_action.pk]) not in html


def test_the_dpo_reads_it(dpo, sams_review):
    assert client_for(dpo).get(_url(sams_review)).status_code == 200


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_review_from_anyone_outside_its_scope(request, sams_review, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(_url(sams_review)).status_code == hidden_from(role)


def test_it_hides_a_review_of_a_contact_now_personal_from_the_manager(
    as_manager, recruiter, sam, sams_review
):
    sam.kind = Kind.PERSONAL
    sam.save()

    assert as_manager.get(_url(sams_review)).status_code == 404


def test_it_answers_404_for_a_review_that_does_not_exist(as_recruiter):
    assert as_recruiter.get(reverse("reviews:review_detail", args=[999999])).status_code == 404


def test_it_shows_a_review_of_a_contact_no_longer_held(as_recruiter, recruiter):
    kept = review(recruiter, None)

    response = as_recruiter.get(_url(kept))

    assert response.status_code == 200
    assert "Review of a contact no longer held" in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, sams_review):
    response = client.get(_url(sams_review))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={_url(sams_review)}"
