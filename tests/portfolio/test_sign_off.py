"""POST /portfolio/<pk>/criteria/<criterion_pk>/sign-off/: the assigned assessor signs
a criterion off with a comment, once; SignOff rows are never rewritten."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from netlog.history import HistoryIsAppendOnly
from portfolio.models import Assignment
from privacy.models import Action, AuditEvent
from reviews.models import Criterion, EvidenceLink, Reflection, SignOff
from tests.conftest import client_for
from tests.factories import UserFactory

COMMENT = "Three reasoned reviews with clear decisions; meets 3.1."


def criterion(code: str) -> Criterion:
    return Criterion.objects.get(outcome__unit__code="NET", code=code)


def url(learner, code: str = "3.1") -> str:
    return reverse("portfolio:sign_off", args=[learner.pk, criterion(code).pk])


def page(learner) -> str:
    return reverse("portfolio:learner", args=[learner.pk])


def card(html: str, code: str) -> str:
    pk = criterion(code).pk
    found = re.search(rf'<article[^>]*id="criterion-{pk}".*?</article>', html, re.DOTALL)
    assert found, f"no card for criterion {code}"
    return found.group(0)


def form(code: str = "3.1", comment: str = COMMENT) -> dict[str, str]:
    """What the page's form posts: the comment and the criterion it belongs to."""
    return {"comment": comment, "criterion": str(criterion(code).pk)}


@pytest.fixture
def evidenced(recruiter):
    """3.1 evidenced by a reflection."""
    reflection = Reflection.objects.create(
        owner=recruiter, title="Reviewing my clients", text="What each brings."
    )
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion("3.1"), reflection=reflection)


@pytest.fixture
def as_assessor(assessor, recruiter, evidenced):
    Assignment.objects.create(assessor=assessor, learner=recruiter)
    return client_for(assessor)


# The happy path


def test_it_signs_the_criterion_off(as_assessor, assessor, recruiter):
    response = as_assessor.post(url(recruiter), form())

    assert response.status_code == 302
    assert response["Location"] == page(recruiter)
    sign_off = SignOff.objects.get()
    assert (sign_off.learner, sign_off.criterion, sign_off.assessor, sign_off.comment) == (
        recruiter,
        criterion("3.1"),
        assessor,
        COMMENT,
    )


def test_it_keeps_the_comment_without_surrounding_blanks(as_assessor, recruiter):
    as_assessor.post(url(recruiter), form(comment=f"  \n{COMMENT}\n "))

    assert SignOff.objects.get().comment == COMMENT


def test_it_records_an_audit_event(as_assessor, assessor, recruiter):
    as_assessor.post(url(recruiter), form())

    event = AuditEvent.objects.exclude(action=Action.VIEWED).get()
    assert (event.actor, event.action, event.object_type, event.object_id, event.detail) == (
        assessor,
        Action.CHANGED,
        "accounts.user",
        recruiter.pk,
        "sign-off",
    )
    assert COMMENT not in event.detail


def test_the_page_then_shows_the_criterion_signed_off(as_assessor, recruiter):
    response = as_assessor.post(url(recruiter), form(), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "3.1 signed off." in html
    assert "signed off" in card(html, "3.1")
    assert "<form" not in card(html, "3.1")


def test_a_second_assessor_can_sign_off_another_criterion(as_assessor, assessor, recruiter):
    reflection = Reflection.objects.get()
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion("3.2"), reflection=reflection)
    second = UserFactory(username="second_assessor", role=Role.ASSESSOR)
    Assignment.objects.create(assessor=second, learner=recruiter)

    as_assessor.post(url(recruiter), form())
    client_for(second).post(url(recruiter, "3.2"), form("3.2"))

    assert set(SignOff.objects.values_list("criterion__code", "assessor")) == {
        ("3.1", assessor.pk),
        ("3.2", second.pk),
    }


# Bad input


@pytest.mark.parametrize("comment", ["", "   ", "\n\t"])
def test_it_refuses_a_blank_comment(as_assessor, recruiter, comment):
    response = as_assessor.post(url(recruiter), form(comment=comment))

    assert response.status_code == 400  # the page again, with the error
    assert response.context["form"].errors["comment"]
    assert "Nothing was saved." in card(response.content.decode(), "3.1")
    assert not SignOff.objects.exists()
    assert not AuditEvent.objects.filter(detail="sign-off").exists()


def test_it_refuses_a_missing_comment(as_assessor, recruiter):
    response = as_assessor.post(url(recruiter), {"criterion": str(criterion("3.1").pk)})

    assert response.status_code == 400  # the page again, with the error
    assert response.context["form"].errors["comment"]
    assert "Nothing was saved." in card(response.content.decode(), "3.1")
    assert not SignOff.objects.exists()


def test_it_refuses_a_comment_too_long(as_assessor, recruiter):
    response = as_assessor.post(url(recruiter), form(comment="x" * 2001))

    assert response.context["form"].errors["comment"]
    assert not SignOff.objects.exists()


def test_it_says_what_is_wrong_with_the_comment(as_assessor, recruiter):
    response = as_assessor.post(url(recruiter), form(comment=""))

    error = response.context["form"].errors["comment"][0]
    assert error in card(response.content.decode(), "3.1")


def test_it_keeps_the_first_sign_off(as_assessor, assessor, recruiter):
    as_assessor.post(url(recruiter), form())

    response = as_assessor.post(url(recruiter), form(comment="A second opinion."), follow=True)

    assert response.status_code == 200
    assert "3.1 was already signed off." in response.content.decode()
    assert SignOff.objects.get().comment == COMMENT
    assert AuditEvent.objects.filter(detail="sign-off").count() == 1


def test_it_keeps_the_first_when_another_assessor_signs_the_same_criterion(
    as_assessor, assessor, recruiter
):
    second = UserFactory(username="second_assessor", role=Role.ASSESSOR)
    Assignment.objects.create(assessor=second, learner=recruiter)
    as_assessor.post(url(recruiter), form())

    response = client_for(second).post(url(recruiter), form(comment="Me too."), follow=True)

    assert "3.1 was already signed off." in response.content.decode()
    sign_off = SignOff.objects.get()
    assert (sign_off.assessor, sign_off.comment) == (assessor, COMMENT)


def test_it_answers_404_for_an_unknown_criterion(as_assessor, recruiter):
    unknown = reverse("portfolio:sign_off", args=[recruiter.pk, 999999])

    assert as_assessor.post(unknown, {"comment": COMMENT}).status_code == 404
    assert not SignOff.objects.exists()


# GET and who may sign off


def test_it_rejects_get(as_assessor, recruiter):
    assert as_assessor.get(url(recruiter)).status_code == 405
    assert not SignOff.objects.exists()


def test_it_answers_404_to_an_assessor_not_assigned_to_the_learner(recruiter, outsider, evidenced):
    stranger = UserFactory(username="stranger_assessor", role=Role.ASSESSOR)
    Assignment.objects.create(assessor=stranger, learner=outsider)

    response = client_for(stranger).post(url(recruiter), form())

    assert response.status_code == 404
    assert not SignOff.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_answers_404_for_a_learner_that_does_not_exist(as_assessor):
    missing = reverse("portfolio:sign_off", args=[999999, criterion("3.1").pk])

    assert as_assessor.post(missing, {"comment": COMMENT}).status_code == 404


@pytest.mark.parametrize("role", ["recruiter", "manager", "dpo"])
def test_it_refuses_anyone_but_an_assessor(request, recruiter, evidenced, role):
    response = client_for(request.getfixturevalue(role)).post(url(recruiter), form())

    assert response.status_code == 403
    assert not SignOff.objects.exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, recruiter):
    response = client.post(url(recruiter), form())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not SignOff.objects.exists()


# Append-only


def test_a_sign_off_is_never_rewritten(as_assessor, recruiter):
    as_assessor.post(url(recruiter), form())
    sign_off = SignOff.objects.get()

    sign_off.comment = "Changed my mind."
    with pytest.raises(HistoryIsAppendOnly):
        sign_off.save()
    with pytest.raises(HistoryIsAppendOnly):
        SignOff.objects.filter(pk=sign_off.pk).update(comment="Changed my mind.")
    assert SignOff.objects.get().comment == COMMENT
