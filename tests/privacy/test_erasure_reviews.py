"""Erasure (privacy.services.erasure_carry_out) reaching reviews and reflections: a
review of the person stays as evidence (date, scores, decision, criteria) without its
reasoning; the person's name leaves every other review and reflection; the guard's
justifications go with the text they justified."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contacts.models import Activity, Contact, Kind
from privacy import services
from privacy.models import DataRequest, SensitiveConfirmation
from reviews.models import Criterion, Decision, EvidenceLink, Reflection, Review
from tests.factories import ActivityFactory, ContactFactory, DataRequestFactory, approved

DAY = datetime.timedelta(days=1)
ERASED, REMOVED = services.ERASED, services.REMOVED

# The person. Every value is unique to these tests, so finding one anywhere in the
# database after the erasure means some of their data survived.
FIRST, LAST = "Ottoline", "Brackwater"
FULL_NAME = f"{FIRST} {LAST}"
EMAIL = "ottoline.b@quillsign.test"
PHONE = "+44 7700 900 456"
MARKERS = [
    FIRST,
    LAST,
    EMAIL,
    "quillsign",
    PHONE,
    "Orgsign",  # organisation
    "Rolesign",  # job title
    "urlsign",  # profile URL
    "Notesign",  # the contact's notes
    "Rationalesign",  # the rationale of the review of them
    "Nextsign",  # its next actions
    "Justifysign",  # the guard's justification for that rationale
]
# Their phone's digits run together: no column may hold them either.
DERIVED = ["7700900456", "447700900456"]
OTHER_NAME = "Ingrid Halvorsen"


@dataclass
class Person:
    contact: Contact
    other: Contact
    review: Review  # of the person
    older_review: Review  # of the person, a year earlier
    other_review: Review  # of someone else, naming the person
    linked: Reflection  # linked to the person (and to others)
    unlinked: Reflection  # naming the person, not linked to them
    activity: Activity
    request: DataRequest


def review(owner, contact, days_ago: int, **fields) -> Review:
    values = {
        "value": 4,
        "activity": 2,
        "potential": 5,
        "suggested_activity": 3,
        "rationale": "Steady.",
        "decision": Decision.STRENGTHEN,
    }
    return Review.objects.create(
        owner=owner,
        contact=contact,
        reviewed_on=timezone.localdate() - days_ago * DAY,
        **{**values, **fields},
    )


def justify(obj, text: str) -> SensitiveConfirmation:
    return SensitiveConfirmation.objects.create(
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        categories=["health"],
        justification=text,
        recorded_by=obj.owner,
    )


def person(owner) -> Person:
    """One person with a marker in every field that can hold their data, reviewed and
    reflected on, and a received erasure request from them."""
    today = timezone.localdate()
    contact = ContactFactory(
        owner=owner,
        first_name=FIRST,
        last_name=LAST,
        kind=Kind.CLIENT,
        organisation="Orgsign Analytics",
        role="Head of Rolesign",
        email=EMAIL,
        phone=PHONE,
        profile_url="https://www.linkedin.com/in/urlsign-ob",
        notes="Notesign: prefers calls after six.",
    )
    other = ContactFactory(
        owner=owner, first_name="Ingrid", last_name="Halvorsen", kind=Kind.CLIENT
    )
    theirs = review(
        owner,
        contact,
        20,
        rationale=f"Rationalesign: {FULL_NAME} placed two; {FIRST} answers within a day.",
        next_actions=f"Nextsign: ask {FIRST} for a referral",
        next_action_on=today + 7 * DAY,
    )
    justify(theirs, f"Justifysign: {FIRST} asked for adjustments.")
    older = review(owner, contact, 380, decision=Decision.MAINTAIN, rationale=f"{LAST} is quiet.")
    others = review(
        owner,
        other,
        10,
        rationale=f"Introduced by {FULL_NAME} at the meetup.",
        next_actions="Ask who else knows 07700 900456.",
    )
    activity = ActivityFactory(owner=owner, contacts=[contact, other], summary="Meetup.")
    linked = Reflection.objects.create(
        owner=owner,
        title=f"What {FIRST} taught me",
        text=f"{FULL_NAME} and {OTHER_NAME} both came; {LAST} will introduce more.",
    )
    linked.contacts.set([contact, other])
    linked.activities.set([activity])
    linked.reviews.set([theirs, others])
    unlinked = Reflection.objects.create(
        owner=owner,
        title=f"The meetup with {FULL_NAME}",
        text=f"Write to {EMAIL} about the next one.",
    )
    fields = {"requester_name": FULL_NAME, "requester_email": EMAIL, "requester_phone": PHONE}
    request = DataRequestFactory(contacts=[contact], **fields)
    return Person(contact, other, theirs, older, others, linked, unlinked, activity, request)


def erase(p: Person):
    approved(p.request)
    return services.erasure_carry_out(request_id=p.request.pk)


def fresh(row):
    return type(row).objects.get(pk=row.pk)


def traces(markers: list[str]) -> set[tuple[str, str]]:
    """(table, column) of every column, in every table, holding any of `markers`."""
    quote = connection.ops.quote_name
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                value = f"LOWER(CAST({quote(column.name)} AS TEXT))"
                where = " OR ".join([f"{value} LIKE %s"] * len(markers))
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} WHERE {where}",
                    [f"%{m.lower()}%" for m in markers],
                )
                if cursor.fetchone():
                    found.add((table, column.name))
    return found


# No trace


def test_it_leaves_no_trace_of_the_person_anywhere_in_the_database(recruiter):
    p = person(recruiter)
    assert {m for m in MARKERS if traces([m])} == set(MARKERS)  # the scan sees them before

    erase(p)

    assert traces(MARKERS + DERIVED) == set()
    assert not Contact.objects.filter(pk=p.contact.pk).exists()


# Reviews of the person


def test_it_keeps_the_reviews_of_the_person_as_evidence_without_their_reasoning(recruiter):
    p = person(recruiter)

    erase(p)

    kept = fresh(p.review)
    assert kept.contact is None
    assert kept.owner == recruiter
    assert kept.reviewed_on == p.review.reviewed_on
    assert (kept.value, kept.activity, kept.potential) == (4, 2, 5)
    assert kept.suggested_activity == 3
    assert kept.decision == Decision.STRENGTHEN
    assert (kept.rationale, kept.next_actions) == (REMOVED, "")
    older = fresh(p.older_review)
    assert (older.contact, older.decision, older.rationale) == (None, Decision.MAINTAIN, REMOVED)


def test_it_keeps_the_criteria_a_review_of_the_person_evidences(recruiter):
    p = person(recruiter)
    criterion = Criterion.objects.first()
    link = EvidenceLink.objects.create(owner=recruiter, criterion=criterion, review=p.review)

    erase(p)

    assert fresh(link).review_id == p.review.pk
    assert list(Criterion.objects.filter(links__review=p.review)) == [criterion]


def test_it_keeps_the_reviews_of_every_record_of_the_person(recruiter, teammate):
    p = person(recruiter)
    second = ContactFactory(owner=teammate, first_name=FIRST, last_name=LAST, kind=Kind.CLIENT)
    teammates = review(teammate, second, 5, rationale=f"{FIRST} moved to us.")
    p.request.contacts.add(second)

    erase(p)

    kept = fresh(teammates)
    assert (kept.owner, kept.contact, kept.rationale) == (teammate, None, REMOVED)


def test_it_deletes_the_guard_justification_for_a_review_of_the_person(recruiter):
    p = person(recruiter)
    other_reason = justify(p.other_review, f"{OTHER_NAME} asked; {FULL_NAME} was there.")

    erase(p)

    theirs = SensitiveConfirmation.objects.filter(object_type="reviews.review")
    assert list(theirs.values_list("pk", "justification")) == [
        (other_reason.pk, f"{OTHER_NAME} asked; {ERASED} was there.")
    ]


def test_the_review_page_shows_the_kept_review_without_the_person(as_recruiter, recruiter):
    p = person(recruiter)
    erase(p)

    response = as_recruiter.get(reverse("reviews:review_detail", args=[p.review.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Review of a contact no longer held" in html
    assert REMOVED in html
    assert FIRST not in html and LAST not in html


def test_it_leaves_no_open_next_action_on_a_review_of_the_person(recruiter):
    p = person(recruiter)

    erase(p)

    assert not Review.objects.actions_open().filter(pk=p.review.pk).exists()


# Other reviews


def test_it_takes_the_person_out_of_another_contacts_review(recruiter):
    p = person(recruiter)

    erase(p)

    kept = fresh(p.other_review)
    assert kept.contact == p.other
    assert kept.rationale == f"Introduced by {ERASED} at the meetup."
    assert kept.next_actions == f"Ask who else knows {ERASED}."
    assert (kept.value, kept.decision) == (4, Decision.STRENGTHEN)


def test_it_takes_the_person_out_of_another_recruiters_review(recruiter, outsider):
    p = person(recruiter)
    elsewhere = ContactFactory(owner=outsider, kind=Kind.REFERRER)
    theirs = review(outsider, elsewhere, 3, rationale=f"Worked with {FULL_NAME} ({EMAIL}).")

    erase(p)

    assert fresh(theirs).rationale == f"Worked with {ERASED} ({ERASED})."


def test_it_leaves_a_first_name_alone_in_someone_elses_review(recruiter):
    # Only where the person is known to take part is a first name theirs: another
    # contact's "Ottoline" may be someone else.
    p = person(recruiter)
    theirs = review(recruiter, p.other, 2, rationale=f"Mentioned {FIRST} from the gym.")

    erase(p)

    assert fresh(theirs).rationale == f"Mentioned {FIRST} from the gym."


# Reflections


def test_it_takes_the_person_out_of_a_reflection_linked_to_them_first_name_too(recruiter):
    p = person(recruiter)

    erase(p)

    kept = fresh(p.linked)
    assert kept.title == f"What {ERASED} taught me"
    assert kept.text == f"{ERASED} and {OTHER_NAME} both came; {ERASED} will introduce more."


def test_it_keeps_the_reflection_and_its_other_links(recruiter):
    p = person(recruiter)

    erase(p)

    kept = fresh(p.linked)
    assert kept.owner == recruiter
    assert list(kept.contacts.all()) == [p.other]
    assert list(kept.activities.all()) == [p.activity]
    assert set(kept.reviews.all()) == {p.review, p.other_review}


def test_it_takes_the_full_name_out_of_a_reflection_not_linked_to_them(recruiter, outsider):
    p = person(recruiter)
    elsewhere = Reflection.objects.create(
        owner=outsider, title="Gym", text=f"{FIRST} from the gym; not {FULL_NAME}."
    )

    erase(p)

    kept = fresh(p.unlinked)
    assert kept.title == f"The meetup with {ERASED}"
    assert kept.text == f"Write to {ERASED} about the next one."
    assert fresh(elsewhere).text == f"{FIRST} from the gym; not {ERASED}."


def test_a_justification_on_a_linked_reflection_stays_without_the_person(recruiter):
    """Other people's text is still in the reflection, so the reason for keeping it
    stays; only the person leaves it."""
    p = person(recruiter)
    kept = justify(p.linked, f"{OTHER_NAME} asked for adjustments; {FIRST} too.")

    erase(p)

    assert fresh(kept).justification == f"{OTHER_NAME} asked for adjustments; {ERASED} too."


def test_it_takes_the_person_out_of_a_reflection_linked_to_their_review(recruiter):
    p = person(recruiter)
    via_review = Reflection.objects.create(
        owner=recruiter, title="Last review", text=f"{FIRST} is worth the effort."
    )
    via_review.reviews.set([p.review])

    erase(p)

    assert fresh(via_review).text == f"{ERASED} is worth the effort."


def test_the_reflection_page_shows_it_without_the_person(as_recruiter, recruiter):
    p = person(recruiter)
    erase(p)

    response = as_recruiter.get(p.linked.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert OTHER_NAME in html
    assert FIRST not in html and LAST not in html
