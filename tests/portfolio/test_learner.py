"""GET /portfolio/<pk>/: a learner's portfolio, each criterion with the evidence linked
to it, contacts pseudonymised; read by the assigned assessor, the learner and their
manager, and no one else."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role
from contacts.models import ActivityType, Contact, Kind, OutcomeKind
from portfolio.models import Assignment
from portfolio.pseudonyms import pseudonym
from privacy.models import Action, AuditEvent
from reviews import services
from reviews.models import (
    Criterion,
    Decision,
    EvidenceLink,
    Reflection,
    Review,
    SignOff,
    Testimony,
    WitnessRelationship,
)
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory, UserFactory

# The session, the user, the learner, the audit insert, the contacts, the evidence
# links with their items, two prefetches of contacts (activities, outcomes), and
# coverage(): the criteria, the sign-offs and the counts of every kind of item; and
# the packs kept for the reader.
PAGE_QUERIES = 12


def criterion(code: str) -> Criterion:
    return Criterion.objects.get(outcome__unit__code="NET", code=code)


def url(learner) -> str:
    return reverse("portfolio:learner", args=[learner.pk])


def sign_off_url(learner, code: str) -> str:
    return reverse("portfolio:sign_off", args=[learner.pk, criterion(code).pk])


def card(html: str, code: str) -> str:
    """The criterion's card on the page."""
    pk = criterion(code).pk
    found = re.search(rf'<article[^>]*id="criterion-{pk}".*?</article>', html, re.DOTALL)
    assert found, f"no card for criterion {code}"
    return found.group(0)


@pytest.fixture
def assigned(assessor, recruiter):
    return Assignment.objects.create(assessor=assessor, learner=recruiter)


@pytest.fixture
def as_assessor(assessor, assigned):
    return client_for(assessor)


# Marker names nothing else on the page could contain, so a leak cannot hide.
@pytest.fixture
def quentavia(recruiter):
    return ContactFactory(
        owner=recruiter,
        first_name="Quentavia",
        last_name="Marrowby",
        kind=Kind.CLIENT,
        email="q.marrowby@zentrix.example",
        phone="07700 900461",
        profile_url="https://www.linkedin.com/in/qmarrowby-77",
    )


@pytest.fixture
def borislav(recruiter):
    return ContactFactory(
        owner=recruiter,
        first_name="Borislav",
        last_name="Tenniswood",
        kind=Kind.HIRING_MANAGER,
        email="borislav.t@halvard.example",
        phone="+44 20 7946 0321",
        profile_url="https://www.linkedin.com/in/btenniswood",
    )


@pytest.fixture
def evidence(recruiter, manager, quentavia, borislav) -> dict[str, object]:
    """One item of every kind, each naming the contacts in its free text, linked:
    activity 2.2, review 3.1, reflection 3.2, two testimonies 4.1, outcome 4.2."""
    activity = ActivityFactory(
        owner=recruiter,
        type=ActivityType.MEETING,
        context="Fintech breakfast",
        contacts=[quentavia, borislav],
        summary="Quentavia Marrowby introduced Borislav; I rang QUENTAVIA on +44 7700 900 461.",
        outcome="Tenniswood asked for two CVs (Borislav.T@halvard.example).",
    )
    review = Review.objects.create(
        owner=recruiter,
        contact=quentavia,
        value=4,
        activity=3,
        potential=5,
        rationale="Marrowby sends a role a month; https://www.linkedin.com/in/qmarrowby-77 "
        "lists the hiring plans. Ring 07700900461.",
        decision=Decision.STRENGTHEN,
    )
    reflection = Reflection.objects.create(
        owner=recruiter,
        title="What Borislav taught me",
        text="Tenniswood (020 7946 0321) is worth more than Quentavia thinks; see "
        "https://www.linkedin.com/in/btenniswood.",
    )
    by_manager = Testimony.objects.create(
        owner=recruiter,
        author=manager,
        witness_name=str(manager),
        witness_role="Team manager",
        relationship=WitnessRelationship.MANAGER,
        text="She followed up with Quentavia Marrowby (q.marrowby@zentrix.example) in a day.",
        checksum="0" * 64,
    )
    _, token = services.testimony_request_create(
        contact=borislav, by=recruiter, activities=[activity], message=""
    )
    by_contact = services.testimony_submit(
        token=token,
        witness_name="Borislav Tenniswood",
        witness_role="Head of Data",
        relationship=WitnessRelationship.CLIENT,
        text="She found us a data lead in a fortnight; ring me on 020-7946-0321.",
    )
    outcome = OutcomeFactory(
        owner=recruiter,
        kind=OutcomeKind.CLIENT_WON,
        value=Decimal("12000"),
        contacts=[borislav],
        notes="Won after Borislav Tenniswood's referral; q.marrowby@zentrix.example agreed.",
    )
    for code, fields in [
        ("2.2", {"activity": activity}),
        ("3.1", {"review": review}),
        ("3.2", {"reflection": reflection}),
        ("4.1", {"testimony": by_manager}),
        ("4.1", {"testimony": by_contact}),
        ("4.2", {"outcome": outcome}),
    ]:
        EvidenceLink.objects.create(owner=recruiter, criterion=criterion(code), **fields)
    return {
        "activity": activity,
        "review": review,
        "reflection": reflection,
        "by_manager": by_manager,
        "by_contact": by_contact,
        "outcome": outcome,
    }


def _traces(contact: Contact) -> list[str]:
    """Everything that names `contact`, as a regular expression each."""
    digits = re.sub(r"\D", "", contact.phone).removeprefix("44").lstrip("0")
    return [
        *(re.escape(term) for term in (contact.first_name, contact.last_name)),
        *(re.escape(term) for term in (contact.email, contact.profile_url)),
        re.escape(contact.profile_url.rsplit("/", 1)[-1]),
        r"[\s\-.()]*".join(digits),
    ]


# The happy path


def test_it_shows_the_assigned_assessor_every_criterion(as_assessor, recruiter, evidence):
    response = as_assessor.get(url(recruiter))

    assert response.status_code == 200
    assert response.context["learner"] == recruiter
    html = response.content.decode()
    assert f"Portfolio of {escape(str(recruiter))}" in html
    for each in Criterion.objects.all():
        assert escape(f"{each.code} {each.text}") in card(html, each.code)


def test_it_lists_the_evidence_of_every_kind_under_its_criterion(as_assessor, recruiter, evidence):
    outcomes = as_assessor.get(url(recruiter)).context["outcomes"]

    kinds = {
        row.criterion.code: [item.kind for item in items]
        for _, rows in outcomes
        for row, items in rows
        if items
    }
    assert kinds == {
        "2.2": ["Activity"],
        "3.1": ["Review"],
        "3.2": ["Reflection"],
        "4.1": ["Testimony", "Testimony"],
        "4.2": ["Outcome"],
    }


def test_it_describes_each_item_with_pseudonyms(
    as_assessor, recruiter, manager, evidence, quentavia, borislav
):
    html = as_assessor.get(url(recruiter)).content.decode()

    q, b = escape(pseudonym(quentavia)), escape(pseudonym(borislav))
    activity = card(html, "2.2")
    assert "<strong>Activity</strong>" in activity
    assert f"Meeting (Fintech breakfast) with {q}, {b}" in activity  # by last name
    assert f"{q} introduced {b}; I rang {q} on {q}." in activity
    assert f"Outcome: {b} asked for two CVs ({b})." in activity
    review = card(html, "3.1")
    assert f"Review of {q}: Strengthen (value 4, activity 3, potential 5)" in review
    assert f"{q} sends a role a month; {q} lists the hiring plans. Ring {q}." in review
    reflection = card(html, "3.2")
    assert f"What {b} taught me" in reflection
    assert f"{b} ({b}) is worth more than {q} thinks; see {b}." in reflection
    testimonies = card(html, "4.1")
    assert f"Testimony by {escape(str(manager))}, their manager" in testimonies
    assert f"followed up with {q} ({q}) in a day." in testimonies
    assert f"Testimony by {b}, a client" in testimonies
    assert f"ring me on {b}." in testimonies
    outcome = card(html, "4.2")
    assert f"Client won, £12,000 ({b})" in outcome
    notes = f"Won after {pseudonym(borislav)}'s referral; {pseudonym(quentavia)} agreed."
    assert escape(notes) in outcome


def test_it_names_no_contact_anywhere_on_the_page(
    as_assessor, recruiter, evidence, quentavia, borislav
):
    html = as_assessor.get(url(recruiter)).content.decode()

    for contact in (quentavia, borislav):
        for trace in _traces(contact):
            assert not re.search(trace, html, re.IGNORECASE), f"{trace!r} is on the page"


def test_it_says_which_criteria_are_evidenced_and_which_signed_off(
    as_assessor, recruiter, assessor, evidence
):
    SignOff.objects.create(
        learner=recruiter, criterion=criterion("3.1"), assessor=assessor, comment="Clear."
    )

    html = as_assessor.get(url(recruiter)).content.decode()

    assert "evidenced: 1" in card(html, "2.2")
    assert "evidenced: 2" in card(html, "4.1")
    assert "signed off" in card(html, "3.1")
    assert "unmapped" in card(html, "1.1")


def test_it_shows_a_portfolio_without_evidence(as_assessor, recruiter):
    response = as_assessor.get(url(recruiter))

    assert response.status_code == 200
    assert all(not items for _, rows in response.context["outcomes"] for _, items in rows)
    assert "/sign-off/" not in response.content.decode()


def test_it_records_that_the_portfolio_was_read(as_assessor, assessor, recruiter):
    as_assessor.get(url(recruiter))

    event = AuditEvent.objects.get(action=Action.VIEWED, object_type="accounts.user")
    assert (event.actor, event.object_id, event.detail) == (assessor, recruiter.pk, "portfolio")


def test_it_records_nothing_when_it_refuses(assessor, outsider):
    client_for(assessor).get(url(outsider))

    assert not AuditEvent.objects.filter(action=Action.VIEWED).exists()


# The sign-off form


def test_it_offers_the_assessor_a_sign_off_form_on_each_evidenced_criterion(
    as_assessor, recruiter, evidence
):
    html = as_assessor.get(url(recruiter)).content.decode()

    for code in ["2.2", "3.1", "3.2", "4.1", "4.2"]:
        assert f'action="{sign_off_url(recruiter, code)}#criterion-' in card(html, code)
        assert f"Comment for signing off {code}" in card(html, code)
    for code in ["1.1", "1.2", "2.1", "3.3"]:
        assert "<form" not in card(html, code)


def test_it_offers_no_form_on_a_criterion_already_signed_off(
    as_assessor, recruiter, assessor, evidence
):
    SignOff.objects.create(
        learner=recruiter, criterion=criterion("2.2"), assessor=assessor, comment="Clear."
    )

    html = as_assessor.get(url(recruiter)).content.decode()

    assert "<form" not in card(html, "2.2")
    assert "<form" in card(html, "3.1")


@pytest.mark.parametrize("reader", ["recruiter", "manager"])
def test_it_offers_no_sign_off_to_anyone_but_the_assessor(request, recruiter, evidence, reader):
    response = client_for(request.getfixturevalue(reader)).get(url(recruiter))

    assert response.status_code == 200
    assert response.context["can_sign_off"] is False
    html = response.content.decode()
    assert "/sign-off/" not in html
    assert "Sign off" not in html


# Who may read it


def test_it_hides_a_learner_from_an_assessor_not_assigned_to_them(recruiter, outsider, evidence):
    other_assessor = UserFactory(username="other_assessor", role=Role.ASSESSOR)
    Assignment.objects.create(assessor=other_assessor, learner=outsider)

    assert client_for(other_assessor).get(url(recruiter)).status_code == 404
    assert client_for(other_assessor).get(url(outsider)).status_code == 200


def test_it_answers_404_for_a_learner_that_does_not_exist(as_assessor):
    assert as_assessor.get(reverse("portfolio:learner", args=[999999])).status_code == 404


def test_it_answers_404_for_someone_who_is_not_a_learner(as_assessor, assessor, manager):
    assert as_assessor.get(url(manager)).status_code == 404
    assert as_assessor.get(url(assessor)).status_code == 404


def test_it_shows_a_recruiter_their_own_portfolio(as_recruiter, recruiter, evidence, quentavia):
    response = as_recruiter.get(url(recruiter))

    assert response.status_code == 200
    assert pseudonym(quentavia) in response.content.decode()


@pytest.mark.parametrize("other", ["teammate", "outsider"])
def test_it_hides_another_recruiters_portfolio(request, as_recruiter, other):
    assert as_recruiter.get(url(request.getfixturevalue(other))).status_code == 404


@pytest.mark.parametrize("learner", ["recruiter", "teammate"])
def test_the_manager_reads_their_teams_portfolios(request, as_manager, learner):
    assert as_manager.get(url(request.getfixturevalue(learner))).status_code == 200


def test_the_manager_does_not_read_another_teams(as_manager, outsider):
    assert as_manager.get(url(outsider)).status_code == 404


def test_the_other_manager_does_not_read_this_team(other_manager, recruiter, evidence):
    assert client_for(other_manager).get(url(recruiter)).status_code == 404


def test_the_dpo_does_not_read_portfolios(dpo, recruiter, evidence):
    assert client_for(dpo).get(url(recruiter)).status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, recruiter):
    response = client.get(url(recruiter))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(recruiter)}"


# Query count


# The kinds in turn, those whose contacts are prefetched first, so that even three
# items run every query the page makes.
KINDS = ["activity", "outcome", "review", "testimony", "reflection"]


def _evidence_items(learner, n: int) -> None:
    """`n` items of every kind in turn, each with contacts, spread over the criteria."""
    criteria = list(Criterion.objects.all())
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        contact = ContactFactory(owner=learner, kind=Kind.CLIENT)
        if kind == "activity":
            item = ActivityFactory(owner=learner, contacts=[contact, ContactFactory(owner=learner)])
        elif kind == "review":
            item = Review.objects.create(
                owner=learner,
                contact=contact,
                value=3,
                activity=3,
                potential=3,
                rationale=f"Steady, says {contact.first_name}.",
                decision=Decision.MAINTAIN,
            )
        elif kind == "reflection":
            item = Reflection.objects.create(owner=learner, title="After", text=contact.name)
        elif kind == "testimony":
            _, token = services.testimony_request_create(
                contact=contact, by=learner, activities=[], message=""
            )
            item = services.testimony_submit(
                token=token,
                witness_name=contact.name,
                witness_role="Head of Talent",
                relationship=WitnessRelationship.CLIENT,
                text=f"Kept {contact.first_name} informed.",
            )
        else:
            item = OutcomeFactory(owner=learner, contacts=[contact], notes=contact.name)
        EvidenceLink.objects.create(
            owner=learner, criterion=criteria[i % len(criteria)], **{kind: item}
        )


def test_its_queries_do_not_grow_with_the_evidence(
    as_assessor, recruiter, django_assert_max_num_queries
):
    _evidence_items(recruiter, 3)
    with django_assert_max_num_queries(PAGE_QUERIES) as few:
        assert as_assessor.get(url(recruiter)).status_code == 200

    _evidence_items(recruiter, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_assessor.get(url(recruiter))
    shown = sum(len(items) for _, rows in response.context["outcomes"] for _, items in rows)
    assert shown == 30


# Bugs


def test_it_pseudonymises_an_activitys_context(as_assessor, recruiter, quentavia):
    activity = ActivityFactory(
        owner=recruiter,
        contacts=[quentavia],
        context="Coffee with Quentavia Marrowby",
        summary="Talked about the data team.",
    )
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion("2.2"), activity=activity)

    html = as_assessor.get(url(recruiter)).content.decode()

    assert f"Coffee with {escape(pseudonym(quentavia))}" in html
    assert "Quentavia" not in html and "Marrowby" not in html


@pytest.mark.parametrize("reader", ["assessor", "manager"])
def test_it_keeps_the_learners_private_life_out_of_the_portfolio(
    request, assigned, recruiter, reader
):
    friend = ContactFactory(owner=recruiter, first_name="Fern", kind=Kind.PERSONAL)
    drinks = ActivityFactory(owner=recruiter, contacts=[friend], summary="Birthday drinks.")
    catch_up = Review.objects.create(
        owner=recruiter,
        contact=friend,
        value=5,
        activity=5,
        potential=1,
        rationale="An old friend; we talk weekly.",
        decision=Decision.MAINTAIN,
    )
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion("1.3"), activity=drinks)
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion("3.1"), review=catch_up)

    response = client_for(request.getfixturevalue(reader)).get(url(recruiter))

    html = response.content.decode()
    assert "Birthday drinks." not in html
    assert "An old friend" not in html
    assert pseudonym(friend) not in html
