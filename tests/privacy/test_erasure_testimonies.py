"""Erasure reaches testimonies (privacy.services._forget_in_testimonies, through
erasure_carry_out): a testimony the person signed stays as evidence without their name
or words; other testimonies lose any mention of them; each stays intact by its checksum,
which is computed again over what remains."""

import pytest
from django.utils import timezone

from contacts.models import Kind
from privacy import services
from reviews import services as reviews_services
from reviews.models import Criterion, EvidenceLink, Reflection, Testimony, WitnessRelationship
from reviews.models import TestimonyRequest as LinkRequest  # not "Test*": pytest collects those
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, DataRequestFactory, approved
from tests.privacy.test_erasure import traces

# The person, with values found nowhere else: any of them left after the erasure is a
# trace of them.
FIRST, LAST = "Zephyrine", "Quillby"
FULL_NAME = f"{FIRST} {LAST}"
EMAIL = "zephyrine.quillby@mailmark.test"
MARKERS = [FIRST, LAST, EMAIL, "mailmark", "Orgmark", "Rolemark", "Statementmark", "Askmark"]
STATEMENT = "Statementmark: Priya found us three engineers in a month and kept in touch."
OTHER = "Bartholomew Otterley"


@pytest.fixture
def zephyrine(recruiter):
    return ContactFactory(
        owner=recruiter,
        first_name=FIRST,
        last_name=LAST,
        email=EMAIL,
        organisation="Orgmark Analytics",
        role="Head of Rolemark",
        kind=Kind.CLIENT,
    )


@pytest.fixture
def bartholomew(recruiter):
    return ContactFactory(
        owner=recruiter, first_name="Bartholomew", last_name="Otterley", kind=Kind.CLIENT
    )


@pytest.fixture
def breakfast(recruiter, zephyrine, bartholomew):
    return ActivityFactory(
        owner=recruiter, contacts=[zephyrine, bartholomew], summary="Fintech breakfast."
    )


def ask_and_answer(contact, activities, *, text: str, name: str, role: str) -> Testimony:
    _, token = reviews_services.testimony_request_create(
        contact=contact,
        by=contact.owner,
        activities=activities,
        message="Askmark: the fintech breakfast." if contact.first_name == FIRST else "",
    )
    return reviews_services.testimony_submit(
        token=token,
        witness_name=name,
        witness_role=role,
        relationship=WitnessRelationship.CLIENT,
        text=text,
    )


@pytest.fixture
def hers(zephyrine, breakfast) -> Testimony:
    """The testimony she signed through her link, linked to a criterion."""
    testimony = ask_and_answer(
        zephyrine,
        [breakfast],
        text=STATEMENT,
        name=FULL_NAME,
        role="Head of Rolemark, Orgmark Analytics",
    )
    EvidenceLink.objects.create(
        owner=testimony.owner, criterion=Criterion.objects.first(), testimony=testimony
    )
    return testimony


def erase(*contacts) -> None:
    request = DataRequestFactory(
        contacts=list(contacts), requester_name=FULL_NAME, requester_email=EMAIL
    )
    approved(request)
    services.erasure_carry_out(request_id=request.pk)


def again(testimony: Testimony) -> Testimony:
    return Testimony.objects.get(pk=testimony.pk)


# The testimony she signed


def test_it_keeps_her_testimony_as_evidence_without_her_name_or_words(
    recruiter, zephyrine, breakfast, hers
):
    before = again(hers)

    erase(zephyrine)

    after = again(hers)
    assert (after.witness_name, after.witness_role, after.text) == (
        services.ERASED,
        "",
        services.REMOVED,
    )
    assert after.request is None
    assert (after.owner, after.author, after.relationship) == (recruiter, None, "client")
    assert (after.signed_on, after.submitted_at) == (before.signed_on, before.submitted_at)
    assert list(after.activities.all()) == [breakfast]
    assert list(
        EvidenceLink.objects.filter(testimony=after).values_list("criterion", flat=True)
    ) == [Criterion.objects.first().pk]


def test_her_testimony_stays_intact_by_its_checksum(zephyrine, hers):
    erase(zephyrine)

    after = again(hers)
    assert after.checksum != hers.checksum  # computed again over what remains
    assert after.is_intact


def test_it_deletes_her_request_with_its_message_and_token_hash(zephyrine, hers):
    request_pk = hers.request_id

    erase(zephyrine)

    assert not LinkRequest.objects.filter(pk=request_pk).exists()


def test_it_removes_her_words_even_under_another_name_she_signed_with(zephyrine, breakfast):
    signed_as = ask_and_answer(
        zephyrine, [breakfast], text=STATEMENT, name="Zeph Q.", role="Rolemark lead"
    )

    erase(zephyrine)

    after = again(signed_as)
    assert (after.witness_name, after.witness_role, after.text) == (
        services.ERASED,
        "",
        services.REMOVED,
    )
    assert after.is_intact


# Other testimonies that name her


def test_it_takes_her_out_of_a_managers_testimony_and_keeps_it_intact(
    manager, recruiter, zephyrine, breakfast
):
    text = f"I saw Priya bring {FULL_NAME} ({EMAIL}) and {OTHER} together at the breakfast."
    managers = reviews_services.testimony_write(
        author=manager, owner=recruiter, activities=[breakfast], witness_role="Manager", text=text
    )

    erase(zephyrine)

    after = again(managers)
    erased = services.ERASED
    assert (
        after.text
        == f"I saw Priya bring {erased} ({erased}) and {OTHER} together at the breakfast."
    )
    assert (after.witness_name, after.author) == (managers.witness_name, manager)
    assert list(after.activities.all()) == [breakfast]
    assert after.is_intact


def test_it_takes_her_out_of_another_witnesss_testimony(zephyrine, bartholomew, breakfast):
    his = ask_and_answer(
        bartholomew,
        [breakfast],
        text=f"Priya introduced me to {FULL_NAME}, whom we went on to hire.",
        name=OTHER,
        role="CTO",
    )

    erase(zephyrine)

    after = again(his)
    assert after.text == f"Priya introduced me to {services.ERASED}, whom we went on to hire."
    assert (after.witness_name, after.witness_role) == (OTHER, "CTO")
    assert after.request is not None
    assert after.is_intact


def test_it_leaves_a_testimony_that_does_not_name_her_untouched(zephyrine, bartholomew, breakfast):
    his = ask_and_answer(
        bartholomew, [breakfast], text="Priya is the best networker I know.", name=OTHER, role="CTO"
    )
    before = again(his)

    erase(zephyrine)

    after = again(his)
    assert (after.text, after.witness_name, after.checksum) == (
        before.text,
        before.witness_name,
        before.checksum,
    )


# No trace


def test_it_leaves_no_trace_of_her_anywhere_in_the_database(
    manager, recruiter, zephyrine, bartholomew, breakfast, hers
):
    reviews_services.testimony_write(
        author=manager,
        owner=recruiter,
        activities=[breakfast],
        witness_role="Manager",
        text=f"Priya kept {FULL_NAME} close for two years; it paid off.",
    )
    ask_and_answer(
        bartholomew, [breakfast], text=f"I met {FULL_NAME} through Priya.", name=OTHER, role="CTO"
    )
    assert {m for m in MARKERS if traces([m])} == set(MARKERS)  # the scan sees them before

    erase(zephyrine)

    assert traces(MARKERS) == set()
    assert all(t.is_intact for t in Testimony.objects.all())


def test_it_takes_her_first_name_out_of_a_testimony_about_an_activity_with_her(
    manager, recruiter, zephyrine, breakfast
):
    reviews_services.testimony_write(
        author=manager,
        owner=recruiter,
        activities=[breakfast],
        witness_role="Manager",
        text=f"At the breakfast Priya sat {FIRST} next to the CTO; a hire followed.",
    )

    erase(zephyrine)

    assert traces([FIRST]) == set()


def test_it_takes_her_out_of_a_request_to_someone_else(recruiter, zephyrine, bartholomew):
    reviews_services.testimony_request_create(
        contact=bartholomew,
        by=recruiter,
        activities=[],
        message=f"Could you say how the placement of {FULL_NAME} went for your team?",
    )

    erase(zephyrine)

    request = LinkRequest.objects.get(contact=bartholomew)
    assert FULL_NAME not in request.message
    assert request.expires_at > timezone.now()  # the link still works


def test_it_erases_her_signature_given_under_another_of_her_records(recruiter, teammate):
    """The same person held twice; she signed through the teammate's link, and only the
    recruiter's record is erased: her signature is still her."""
    mine = ContactFactory(owner=recruiter, first_name=FIRST, last_name=LAST, email=EMAIL)
    theirs = ContactFactory(owner=teammate, first_name=FIRST, last_name=LAST, email="")
    signed = ask_and_answer(theirs, [], text=STATEMENT, name=FULL_NAME, role="Head of Data")

    erase(mine)

    signed = again(signed)
    assert (signed.witness_name, signed.witness_role) == (services.ERASED, "")
    assert signed.redacted_at is not None


def test_a_redacted_testimony_says_so_instead_of_unaltered(recruiter, zephyrine, hers):
    erase(zephyrine)

    html = client_for(recruiter).get(hers.get_absolute_url()).content.decode()
    assert "redacted by an erasure request" in html
    assert "unaltered since signing" not in html


def test_a_reflection_about_an_activity_with_her_loses_her_first_name(recruiter, breakfast):
    reflection = Reflection.objects.create(
        owner=recruiter, title="Breakfast", text=f"{FIRST} was the most useful contact."
    )
    reflection.activities.set([breakfast])

    erase(*breakfast.contacts.filter(first_name=FIRST))

    reflection.refresh_from_db()
    assert reflection.text == f"{services.ERASED} was the most useful contact."
