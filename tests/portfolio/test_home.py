"""GET /portfolio/: the learners whose portfolios the user may read; a recruiter goes
straight to their own."""

from django.urls import reverse

from accounts.models import Role
from portfolio.models import Assignment
from tests.conftest import client_for
from tests.factories import UserFactory

URL = reverse("portfolio:home")


def page(learner) -> str:
    return reverse("portfolio:learner", args=[learner.pk])


def test_it_sends_a_recruiter_to_their_own_portfolio(as_recruiter, recruiter):
    response = as_recruiter.get(URL)

    assert response.status_code == 302
    assert response["Location"] == page(recruiter)


def test_it_lists_only_the_assessors_assigned_learners(assessor, recruiter, teammate, outsider):
    Assignment.objects.create(assessor=assessor, learner=recruiter)
    Assignment.objects.create(assessor=assessor, learner=outsider)
    other_assessor = UserFactory(username="other_assessor", role=Role.ASSESSOR)
    Assignment.objects.create(assessor=other_assessor, learner=teammate)

    response = client_for(assessor).get(URL)

    assert response.status_code == 200
    assert set(response.context["learners"]) == {recruiter, outsider}
    html = response.content.decode()
    assert page(recruiter) in html and page(outsider) in html
    assert page(teammate) not in html
    assert "The learners assigned to you." in html


def test_it_lists_the_managers_team(as_manager, recruiter, teammate, outsider):
    response = as_manager.get(URL)

    assert response.status_code == 200
    assert set(response.context["learners"]) == {recruiter, teammate}
    html = response.content.decode()
    assert page(recruiter) in html and page(teammate) in html
    assert page(outsider) not in html
    assert "Your team's learners." in html


def test_it_tells_an_assessor_with_no_learners_so(assessor, recruiter):
    response = client_for(assessor).get(URL)

    assert response.status_code == 200
    assert list(response.context["learners"]) == []
    assert "No learners are assigned to you yet." in response.content.decode()
    assert page(recruiter) not in response.content.decode()


def test_it_lists_no_learners_for_the_dpo(dpo, recruiter):
    response = client_for(dpo).get(URL)

    assert response.status_code == 200
    assert list(response.context["learners"]) == []
    assert page(recruiter) not in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_an_assessor_signing_in_lands_on_the_portfolios(assessor):
    response = client_for(assessor).get("/")

    assert response.status_code == 302
    assert response["Location"] == "/portfolio/"
