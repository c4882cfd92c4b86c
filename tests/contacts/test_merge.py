"""contacts.merge.contacts_merge: two records of one person become one, and nothing
that pointed at either is lost."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import timezone

from consent.models import ConsentRecord, Disclosure, LawfulBasisRecord
from consent.services import consent_record, consent_withdraw, notice_deliver, notice_publish
from contacts import merge
from contacts.forms import MAX_TAGS
from contacts.merge import KNOWN, MergeError, contacts_merge, relations
from contacts.models import Activity, Channel, Contact, Kind, Outcome
from privacy.models import Action, AuditEvent, RetentionWarning, SensitiveConfirmation
from reviews import services as reviews
from reviews.models import Cadence, Decision, Reflection, Review
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    OutcomeFactory,
    TagFactory,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def keep(recruiter):
    return ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")


@pytest.fixture
def other(recruiter):
    return ContactFactory(owner=recruiter, first_name="Liv", last_name="Bennett")


def give_consent(contact, by, on=None):
    return consent_record(
        contact=contact,
        on=on or timezone.localdate(),
        method="form",
        purposes=["roles"],
        notice=None,
        by=by,
    )


def review_of(contact) -> Review:
    return Review.objects.create(
        owner=contact.owner,
        contact=contact,
        value=3,
        activity=3,
        potential=3,
        rationale="Steady.",
        decision=Decision.MAINTAIN,
    )


def warn(contact, erase_in_days: int) -> RetentionWarning:
    today = timezone.localdate()
    return RetentionWarning.objects.create(
        contact=contact, warned_on=today, erase_on=today + erase_in_days * DAY
    )


def gone(contact) -> bool:
    return not Contact.objects.filter(pk=contact.pk).exists()


# Which relations the merge knows


def test_every_relation_to_a_contact_is_one_the_merge_knows():
    """A new model pointing at Contact fails here until its merge is decided (KNOWN)."""
    assert {r.key for r in relations()} == KNOWN


def test_it_refuses_to_merge_while_a_relation_is_unknown(recruiter, keep, other, monkeypatch):
    ActivityFactory(owner=recruiter, contacts=[other])
    monkeypatch.setattr(merge, "KNOWN", KNOWN - {"consent.ConsentRecord.contact"})
    with pytest.raises(ImproperlyConfigured, match="consent.ConsentRecord.contact"):
        contacts_merge(keep=keep, other=other, by=recruiter)
    assert not gone(other)
    assert other.activities.count() == 1


# Everything moves


def test_it_moves_everything_linked_to_the_other_and_deletes_it(recruiter, keep, other):
    shared_activity = ActivityFactory(owner=recruiter, contacts=[keep, other])
    their_activity = ActivityFactory(owner=recruiter, contacts=[other])
    shared_outcome = OutcomeFactory(owner=recruiter, contacts=[keep, other])
    their_outcome = OutcomeFactory(owner=recruiter, contacts=[other])
    both_tag, their_tag = TagFactory(owner=recruiter), TagFactory(owner=recruiter)
    keep.tags.set([both_tag])
    other.tags.set([both_tag, their_tag])
    consent = give_consent(other, recruiter)
    basis = LawfulBasisRecord.objects.get(contact=other)
    delivery = notice_deliver(
        contact=other,
        notice=notice_publish(text="v1"),
        delivered_on=timezone.localdate(),
        method="email",
        by=recruiter,
    )
    disclosure = Disclosure.objects.create(
        contact=other, recipient="Acme Ltd", what="cv", recorded_by=recruiter
    )
    review = review_of(other)
    reviews.cadence_set(contact=other, by=recruiter, ideal_days=30, max_days=60)
    testimony_request, _ = reviews.testimony_request_create(
        contact=other, by=recruiter, activities=[], message=""
    )
    data_request = DataRequestFactory(contacts=[other])
    warning = warn(other, 20)
    reflection = Reflection.objects.create(owner=recruiter, title="Q1", text="Who helped.")
    reflection.contacts.set([other])

    kept = contacts_merge(keep=keep, other=other, by=recruiter)

    assert gone(other)
    assert kept.pk == keep.pk
    assert set(keep.activities.all()) == {shared_activity, their_activity}
    assert shared_activity.contacts.count() == 1  # linked once, not twice
    assert set(keep.outcomes.all()) == {shared_outcome, their_outcome}
    assert shared_outcome.contacts.count() == 1
    assert set(keep.tags.all()) == {both_tag, their_tag}
    assert list(keep.consent_history.all()) == [consent]
    assert list(keep.basis_history.all()) == [basis]
    assert list(keep.notice_deliveries.all()) == [delivery]
    assert list(keep.disclosures.all()) == [disclosure]
    assert list(keep.reviews.all()) == [review]
    assert Cadence.objects.get(contact=keep).ideal_days == 30
    assert list(keep.testimony_requests.all()) == [testimony_request]
    assert list(data_request.contacts.all()) == [keep]
    assert RetentionWarning.objects.get(contact=keep) == warning
    assert list(reflection.contacts.all()) == [keep]


def test_the_history_moves_unchanged(recruiter, keep, other):
    consent = give_consent(other, recruiter, on=timezone.localdate() - 10 * DAY)
    before = ConsentRecord.objects.filter(pk=consent.pk).values().get()
    contacts_merge(keep=keep, other=other, by=recruiter)
    after = ConsentRecord.objects.filter(pk=consent.pk).values().get()
    assert after == {**before, "contact_id": keep.pk}


def test_the_kept_contacts_own_cadence_and_retention_warning_win(recruiter, keep, other):
    reviews.cadence_set(contact=keep, by=recruiter, ideal_days=14, max_days=28)
    reviews.cadence_set(contact=other, by=recruiter, ideal_days=30, max_days=60)
    ours, theirs = warn(keep, 30), warn(other, 5)
    contacts_merge(keep=keep, other=other, by=recruiter)
    assert list(Cadence.objects.filter(contact__isnull=False).values_list("ideal_days")) == [(14,)]
    assert list(RetentionWarning.objects.all()) == [ours]
    assert not RetentionWarning.objects.filter(pk=theirs.pk).exists()


def test_an_import_preview_that_matched_the_other_now_matches_the_kept_contact(
    recruiter, keep, other
):
    from imports.models import Batch, PreviewRow

    batch = Batch.objects.create(owner=recruiter, source="csv", kind="candidate", channel="other")
    row = PreviewRow.objects.create(batch=batch, line=2, action="merge", why="email", match=other)
    contacts_merge(keep=keep, other=other, by=recruiter)
    row.refresh_from_db()
    assert row.match_id == keep.pk


# The kept contact's details and state


def test_consent_state_is_worked_out_again_from_both_histories(recruiter, keep, other):
    give_consent(other, recruiter)
    notice = notice_publish(text="v1")
    for contact, days_ago in ((keep, 3), (other, 9)):
        notice_deliver(
            contact=contact,
            notice=notice,
            delivered_on=timezone.localdate() - days_ago * DAY,
            method="email",
            by=recruiter,
        )
    keep.refresh_from_db()
    assert keep.basis_state(timezone.localdate()) == "none"

    kept = contacts_merge(keep=keep, other=other, by=recruiter)

    stored = Contact.objects.get(pk=keep.pk)
    assert stored.basis_state(timezone.localdate()) == "valid"
    assert stored.lawful_basis == "consent"
    assert stored.consent_expires_on == ConsentRecord.objects.get().expires_on
    assert stored.notice_delivered_on == timezone.localdate() - 9 * DAY
    assert (kept.lawful_basis, kept.notice_delivered_on) == ("consent", stored.notice_delivered_on)


def test_a_later_withdrawal_on_the_other_ends_the_kept_contacts_consent(recruiter, keep, other):
    give_consent(keep, recruiter)
    give_consent(other, recruiter)
    consent_withdraw(contact=other, on=timezone.localdate(), method="email", by=recruiter)
    contacts_merge(keep=keep, other=other, by=recruiter)
    keep.refresh_from_db()
    assert keep.basis_state(timezone.localdate()) == "withdrawn"


def test_blanks_are_filled_and_filled_details_stay(recruiter):
    keep = ContactFactory(
        owner=recruiter,
        first_name="Olivia",
        last_name="Bennett",
        email="",
        phone="",
        role="Head of Data",
        notes="Met at the fintech meetup.",
        kind=Kind.CLIENT,
        source_channel=Channel.EVENT,
    )
    other = ContactFactory(
        owner=recruiter,
        first_name="Liv",
        last_name="",
        email="olivia@northwind.example",
        phone="+44 20 7946 0958",
        role="CTO",
        notes="Old notes.",
        kind=Kind.CANDIDATE,
        source_channel=Channel.LINKEDIN,
    )
    contacts_merge(keep=keep, other=other, by=recruiter)
    keep.refresh_from_db()
    assert (keep.first_name, keep.last_name, keep.role, keep.notes) == (
        "Olivia",
        "Bennett",
        "Head of Data",
        "Met at the fintech meetup.",
    )
    # The other's email is unique per owner: it can only arrive once the other is gone.
    assert (keep.email, keep.phone) == ("olivia@northwind.example", "+44 20 7946 0958")
    assert (keep.kind, keep.source_channel) == (Kind.CLIENT, Channel.EVENT)


@pytest.mark.parametrize("older", ["keep", "other"])
def test_the_earlier_created_at_is_kept(recruiter, keep, other, older):
    long_ago = timezone.now() - 400 * DAY
    Contact.objects.filter(pk={"keep": keep, "other": other}[older].pk).update(created_at=long_ago)
    keep, other = Contact.objects.get(pk=keep.pk), Contact.objects.get(pk=other.pk)
    contacts_merge(keep=keep, other=other, by=recruiter)
    assert Contact.objects.get(pk=keep.pk).created_at == long_ago


def test_tags_are_joined_once_and_over_the_limit_the_kept_contacts_own_stay(recruiter, keep, other):
    tags = [TagFactory(owner=recruiter, name=f"tag{n:02}") for n in range(MAX_TAGS + 5)]
    keep.tags.set(tags[10 : MAX_TAGS + 5])  # 15 of keep's own
    other.tags.set(tags[: MAX_TAGS - 5])  # 15 of the other's, 5 of them shared with keep

    contacts_merge(keep=keep, other=other, by=recruiter)

    names = set(keep.tags.values_list("name", flat=True))
    assert names == {t.name for t in tags[10:]} | {t.name for t in tags[:5]}
    event = AuditEvent.objects.filter(detail__startswith="merged contact").get()
    assert event.detail.endswith("; 5 tag(s) over the limit")


def test_a_justification_follows_the_notes_it_justified(recruiter):
    keep = ContactFactory(owner=recruiter, notes="")
    other = ContactFactory(owner=recruiter, notes="Asked for step-free access.")
    reason = SensitiveConfirmation.objects.create(
        object_type="contacts.contact",
        object_id=other.pk,
        categories=["disability"],
        justification="Interview adjustments they asked for.",
        recorded_by=recruiter,
    )
    contacts_merge(keep=keep, other=other, by=recruiter)
    assert SensitiveConfirmation.objects.get(pk=reason.pk).object_id == keep.pk


def test_a_justification_goes_with_notes_that_are_not_kept(recruiter):
    keep = ContactFactory(owner=recruiter, notes="Our notes.")
    other = ContactFactory(owner=recruiter, notes="Asked for step-free access.")
    SensitiveConfirmation.objects.create(
        object_type="contacts.contact",
        object_id=other.pk,
        categories=["disability"],
        justification="Interview adjustments they asked for.",
        recorded_by=recruiter,
    )
    contacts_merge(keep=keep, other=other, by=recruiter)
    assert not SensitiveConfirmation.objects.exists()


def test_the_audit_names_the_record_merged_and_no_one(recruiter, keep, other):
    other_pk = other.pk
    contacts_merge(keep=keep, other=other, by=recruiter)
    event = AuditEvent.objects.get(action=Action.CHANGED, object_type="contacts.contact")
    assert (event.actor, event.object_id) == (recruiter, keep.pk)
    assert event.detail == f"merged contact {other_pk}"
    for text in ("Olivia", "Liv", "Bennett", keep.email, other.email):
        assert text not in event.detail


# Who may merge what


def test_it_refuses_a_contact_of_another_recruiter(recruiter, outsider, keep):
    theirs = ContactFactory(owner=outsider)
    for pair in ((keep, theirs), (theirs, keep)):
        with pytest.raises(PermissionDenied):
            contacts_merge(keep=pair[0], other=pair[1], by=recruiter)
    assert not gone(keep) and not gone(theirs)


def test_it_refuses_anyone_but_the_recruiter_who_holds_both(manager, dpo, keep, other):
    for user in (manager, dpo):
        with pytest.raises(PermissionDenied):
            contacts_merge(keep=keep, other=other, by=user)
    assert not gone(other)


def test_it_refuses_to_merge_a_contact_with_itself(recruiter, keep):
    ActivityFactory(owner=recruiter, contacts=[keep])
    with pytest.raises(MergeError):
        contacts_merge(keep=keep, other=Contact.objects.get(pk=keep.pk), by=recruiter)
    assert not gone(keep)
    assert keep.activities.count() == 1


def test_it_says_so_when_the_other_is_already_gone(recruiter, keep, other):
    Contact.objects.filter(pk=other.pk).delete()
    with pytest.raises(MergeError):
        contacts_merge(keep=keep, other=other, by=recruiter)


# All or nothing


def test_a_failure_part_way_moves_nothing(recruiter, keep, other, monkeypatch):
    activity = ActivityFactory(owner=recruiter, contacts=[other])
    outcome = OutcomeFactory(owner=recruiter, contacts=[other])
    give_consent(other, recruiter)
    review_of(other)
    Contact.objects.filter(pk=keep.pk).update(phone="")
    real_move, moved = merge._move, []

    def move_then_fail(relation, keep, other):
        if len(moved) == 4:
            raise RuntimeError("connection lost")
        real_move(relation, keep, other)
        moved.append(relation.key)

    monkeypatch.setattr(merge, "_move", move_then_fail)
    with pytest.raises(RuntimeError):
        contacts_merge(keep=Contact.objects.get(pk=keep.pk), other=other, by=recruiter)

    assert len(moved) == 4  # it did fail part way, after moving some
    assert not gone(keep) and not gone(other)
    assert list(Activity.objects.get(pk=activity.pk).contacts.all()) == [other]
    assert list(Outcome.objects.get(pk=outcome.pk).contacts.all()) == [other]
    assert ConsentRecord.objects.get().contact_id == other.pk
    assert LawfulBasisRecord.objects.get().contact_id == other.pk
    assert Review.objects.get().contact_id == other.pk
    assert Contact.objects.get(pk=keep.pk).phone == ""
    assert not AuditEvent.objects.filter(action=Action.CHANGED).exists()


def test_a_failure_at_the_end_moves_nothing(recruiter, keep, other, monkeypatch):
    activity = ActivityFactory(owner=recruiter, contacts=[other])
    give_consent(other, recruiter)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(merge, "audit_log", broken)
    with pytest.raises(RuntimeError):
        contacts_merge(keep=keep, other=other, by=recruiter)
    assert not gone(other)
    assert list(Activity.objects.get(pk=activity.pk).contacts.all()) == [other]
    assert ConsentRecord.objects.get().contact_id == other.pk
    assert Contact.objects.get(pk=keep.pk).lawful_basis == ""
