"""How many statements an erasure (privacy.services.erasure_carry_out) sends: no more
for a person with a long history, named all over the organisation, than for one met
once. Every kind of row is found and written in bulk, never a statement per row, so
an agency's erasure stays within its budget however much it holds."""

import datetime

from django.utils import timezone

from consent.models import Basis
from consent.services import basis_record
from contacts.models import Contact
from privacy import services
from privacy.models import SensitiveConfirmation
from reviews import services as reviews_services
from reviews.models import Decision, Reflection, Review, WitnessRelationship
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    OutcomeFactory,
    approved,
)
from tests.privacy.test_erasure import traces

DAY = datetime.timedelta(days=1)


def review(owner, contact: Contact | None, days_ago: int, rationale: str) -> Review:
    return Review.objects.create(
        owner=owner,
        contact=contact,
        reviewed_on=timezone.localdate() - days_ago * DAY,
        value=3,
        activity=3,
        potential=3,
        suggested_activity=3,
        rationale=rationale,
        decision=Decision.MAINTAIN,
    )


def named_everywhere(recruiter, teammate, *, first: str, last: str, phone: str, n: int):
    """A person with `n` of every kind of row about them or naming them: activities
    alone and shared (one justified by the guard), outcomes, reviews of them, reflections
    linked to them, and colleagues' notes, activities (by phone, written another way),
    reviews, reflections, assessments and testimonies that name them; and `n` rows of
    each that name no one. Returns their erasure request."""
    name = f"{first} {last}"
    person = ContactFactory(owner=recruiter, first_name=first, last_name=last, phone=phone)
    other = ContactFactory(owner=recruiter)
    spelled = f"+44 {phone[1:5]}.{phone[6:9]}.{phone[9:]}"  # "07700 900321": "+44 7700.900.321"
    for i in range(n):
        ActivityFactory(owner=recruiter, contacts=[person], summary=f"Call {i} with {first}.")
        shared = ActivityFactory(
            owner=recruiter, contacts=[person, other], summary=f"{name} met Bo ({i})."
        )
        SensitiveConfirmation.objects.create(
            object_type="contacts.activity",
            object_id=shared.pk,
            categories=["health"],
            justification=f"{first} asked for adjustments.",
            recorded_by=recruiter,
        )
        OutcomeFactory(owner=recruiter, contacts=[person], notes=f"Placed {first} ({i}).")
        review(recruiter, person, i, f"{first} answers within a day.")
        reflection = Reflection.objects.create(
            owner=recruiter, title=f"Week {i}", text=f"{first} was helpful."
        )
        reflection.contacts.add(person)

        theirs = ContactFactory(owner=teammate, notes=f"Referred by {name} ({i}).")
        ActivityFactory(owner=teammate, contacts=[theirs], summary=f"Call {spelled} ({i}).")
        review(teammate, theirs, i, f"Introduced by {name}.")
        Reflection.objects.create(owner=teammate, title=f"Week {i}", text=f"Met {name}.")
        basis_record(
            contact=theirs,
            basis=Basis.LEGITIMATE_INTERESTS,
            by=teammate,
            li_purpose=f"Referred by {name}.",
            li_necessity="No other way.",
            li_balance="They expect it.",
        )
        _, token = reviews_services.testimony_request_create(
            contact=theirs, by=teammate, activities=[], message=""
        )
        reviews_services.testimony_submit(
            token=token,
            witness_name="Bo Baker",
            witness_role="Director",
            relationship=WitnessRelationship.CLIENT,
            text=f"Bo worked with {name} and with us.",
        )

        ContactFactory(owner=teammate, notes=f"Prefers calls ({i}).")
        ActivityFactory(owner=teammate, summary=f"Coffee ({i}).")
    return approved(DataRequestFactory(contacts=[person], requester_name=name))


def test_its_statements_do_not_grow_with_the_persons_history_or_the_organisation(
    recruiter, teammate, django_assert_max_num_queries
):
    few = named_everywhere(
        recruiter, teammate, first="Zebulon", last="Quillfeather", phone="07700 900321", n=3
    )
    # 4 of them: the contact's activities found before it goes, then classified again
    # as private or not once its links have gone, and the days' shared counts told of
    # any that changed (reviews.summary).
    with django_assert_max_num_queries(79) as small:
        services.erasure_carry_out(request_id=few.pk)
    many = named_everywhere(
        recruiter, teammate, first="Ysolde", last="Marchbank", phone="07700 900654", n=60
    )

    with django_assert_max_num_queries(len(small.captured_queries)):
        record = services.erasure_carry_out(request_id=many.pk)

    assert (record.activities_kept, record.outcomes_kept) == (120, 60)
    markers = ["Zebulon", "Quillfeather", "900321", "900.321", "Ysolde", "Marchbank", "900.654"]
    assert traces(markers) == set()
