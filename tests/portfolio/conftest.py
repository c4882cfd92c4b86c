"""A learner whose one contact is named in every kind of text a pack holds."""

import pytest

from reviews.models import Criterion, EvidenceLink, Reflection, Review, TestimonyRequest
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory, witnessed

MARKERS = ["Quentavia", "Marrowby", "quentavia.m@markmail.test", "07700 900 461", "7700900461"]
PROFILE = "qmarrowby-mark"  # in the profile URL
PERSONAL = ["Zebedee", "Fairweather"]  # a personal / social contact: never named


@pytest.fixture
def learner(recruiter):
    """A learner whose contact is named in every kind of text the pack holds."""
    person = ContactFactory(
        owner=recruiter,
        first_name="Quentavia",
        last_name="Marrowby",
        email="quentavia.m@markmail.test",
        phone="07700 900 461",
        profile_url="https://www.linkedin.com/in/qmarrowby-mark",
        kind="hiring_manager",
    )
    friend = ContactFactory(
        owner=recruiter, first_name="Zebedee", last_name="Fairweather", kind="personal"
    )
    activity = ActivityFactory(
        owner=recruiter,
        contacts=[person, friend],
        context="Coffee with Quentavia Marrowby",
        summary="Quentavia (07700900461) wants two data engineers; Zebedee came along.",
        outcome="Emailed quentavia.m@markmail.test the shortlist, as "
        "linkedin.com/in/qmarrowby-mark asks.",
    )
    review = Review.objects.create(
        owner=recruiter,
        contact=person,
        value=4,
        activity=4,
        potential=5,
        rationale="Quentavia hires every quarter.",
        decision="strengthen",
    )
    Reflection.objects.create(owner=recruiter, title="Marrowby", text="Quentavia opened doors.")
    OutcomeFactory(owner=recruiter, contacts=[person], notes="Placed with Quentavia Marrowby.")
    request, testimony = witnessed(
        activity,
        person,
        witness_name="Quentavia Marrowby",
        text="Priya found me two engineers. Call me on 07700 900 461, Quentavia.",
    )
    TestimonyRequest.objects.filter(pk=request.pk).update(token_hash="known")
    criterion = Criterion.objects.get(code="2.2")
    EvidenceLink.objects.create(
        owner=recruiter, criterion=Criterion.objects.get(code="4.2"), testimony=testimony
    )
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion, activity=activity)
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion, review=review)
    return recruiter
