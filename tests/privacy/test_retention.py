"""The retention service (privacy.services: retention_stale, retention_plan,
retention_run) and the daily job that runs it (privacy.tasks.retention_daily).

A contact with no activity and no live consent for the policy's months is warned (its
owner gets an email that names no one); after the grace days it is erased; a contact
active again keeps its record. The dry run the DPO sees is exactly what the run does."""

import datetime

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from consent.models import Basis
from contacts.models import Activity, Contact
from privacy import services, tasks
from privacy.models import (
    Action,
    AuditEvent,
    ErasureRecord,
    RetainedRecord,
    RetentionPolicy,
    RetentionWarning,
    Status,
    Suppression,
)
from reviews.models import Review
from tests.conftest import client_for
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    OutcomeFactory,
    UserFactory,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
TODAY = D(2026, 6, 15)
CUTOFF = D(2024, 6, 15)  # 24 months (the default policy) before TODAY
GRACE = datetime.timedelta(days=30)  # the default policy's grace days
LONG_AGO = D(2023, 1, 10)
ADDED = D(2020, 1, 6)


def at(day: datetime.date) -> datetime.datetime:
    """Midday, local time, on `day`: when a contact was added."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def person(owner, *, added=ADDED, last_seen=None, **fields) -> Contact:
    """A contact of `owner` added on `added`, with an activity on `last_seen` if given."""
    contact = ContactFactory(owner=owner, created_at=at(added), **fields)
    if last_seen:
        ActivityFactory(owner=owner, contacts=[contact], date=last_seen)
    return contact


def warned(contact, *, on=TODAY - 40 * DAY, erase_on=TODAY - 10 * DAY) -> RetentionWarning:
    return RetentionWarning.objects.create(contact=contact, warned_on=on, erase_on=erase_on)


def retained(keep_until: datetime.date) -> RetainedRecord:
    return RetainedRecord.objects.create(
        erasure=ErasureRecord.objects.create(request=None, records_retained=1),
        name="Kept Person",
        kind="candidate",
        last_service_on=D(2024, 1, 1),
        keep_until=keep_until,
    )


def set_policy(**fields) -> RetentionPolicy:
    policy = RetentionPolicy.current()
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save()
    return policy


def exists(contact) -> bool:
    return Contact.objects.filter(pk=contact.pk).exists()


# Who is warned, and the owner's email


def test_it_warns_about_a_contact_with_no_activity_for_24_months(recruiter):
    stale = person(recruiter, last_seen=LONG_AGO)

    plan = services.retention_run(today=TODAY)

    assert plan.warn == [stale]
    warning = RetentionWarning.objects.get()
    assert warning.contact == stale
    assert (warning.warned_on, warning.erase_on) == (TODAY, TODAY + GRACE)
    assert exists(stale)


def test_it_counts_from_when_a_contact_was_added_if_nothing_was_logged(recruiter):
    forgotten = person(recruiter, added=D(2024, 5, 1))
    new = person(recruiter, added=D(2024, 7, 1))

    services.retention_run(today=TODAY)

    assert list(RetentionWarning.objects.values_list("contact", flat=True)) == [forgotten.pk]
    assert exists(new)


def test_it_emails_each_owner_once_naming_no_contact(recruiter, teammate, mailoutbox):
    mine = [
        person(
            recruiter,
            last_seen=LONG_AGO,
            first_name="Marguerite",
            last_name="Thistlewood",
            email="m.thistlewood@example.org",
            notes="Prefers calls after four",
        ),
        person(
            recruiter,
            last_seen=LONG_AGO,
            first_name="Bartholomew",
            last_name="Quince",
            email="bq@example.org",
        ),
    ]
    theirs = person(
        teammate, first_name="Ottoline", last_name="Fairweather", email="otto@example.org"
    )

    services.retention_run(today=TODAY)

    assert sorted(m.to[0] for m in mailoutbox) == [recruiter.email, teammate.email]
    assert all(len(m.to) == 1 for m in mailoutbox)
    to_me = next(m for m in mailoutbox if m.to == [recruiter.email])
    assert to_me.subject == "netlog: 2 contact(s) will be erased on 15/07/2026"
    assert "2 of your contacts" in to_me.body
    for message in mailoutbox:
        text = f"{message.subject}\n{message.body}"
        for contact in [*mine, theirs]:
            for value in (contact.first_name, contact.last_name, contact.email, contact.notes):
                if value:
                    assert value.lower() not in text.lower()


def test_it_emails_no_one_when_no_one_is_warned(recruiter, mailoutbox):
    person(recruiter, last_seen=TODAY - 30 * DAY)

    services.retention_run(today=TODAY)

    assert mailoutbox == []


def test_an_owner_without_an_email_address_is_still_warned_on_the_page(db, mailoutbox):
    owner = UserFactory(email="")
    stale = person(owner, last_seen=LONG_AGO)

    services.retention_run(today=TODAY)

    assert RetentionWarning.objects.get().contact == stale
    assert mailoutbox == []


def test_a_failed_email_does_not_stop_the_run(recruiter, monkeypatch, mailoutbox):
    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("privacy.notify.send_mail", refuse)
    stale = person(recruiter, last_seen=LONG_AGO)

    services.retention_run(today=TODAY)

    assert RetentionWarning.objects.get().contact == stale


# Who is left alone


def test_it_leaves_a_contact_with_a_recent_activity_alone(recruiter, mailoutbox):
    added_long_ago = person(recruiter, added=D(2019, 3, 1), last_seen=TODAY - 200 * DAY)

    plan = services.retention_run(today=TODAY)

    assert (plan.warn, plan.erase, plan.cancel) == ([], [], [])
    assert not RetentionWarning.objects.exists()
    assert exists(added_long_ago)
    assert mailoutbox == []


def test_only_the_latest_activity_counts(recruiter):
    contact = person(recruiter, last_seen=LONG_AGO)
    ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY - 10 * DAY)

    services.retention_run(today=TODAY)

    assert not RetentionWarning.objects.exists()


def test_a_recent_outcome_keeps_a_contact_with_no_recent_activity(recruiter):
    contact = person(recruiter, last_seen=LONG_AGO)
    OutcomeFactory(owner=recruiter, contacts=[contact], date=TODAY - 30 * DAY)

    assert contact not in services.retention_stale(TODAY, RetentionPolicy.current())
    assert services.retention_plan(today=TODAY).warn == []


def test_a_contact_added_recently_is_not_stale_even_with_an_old_activity(recruiter):
    """The clock runs from when we obtained the data: a backdated log entry for someone
    added last month does not make their record two years old."""
    contact = person(recruiter, added=TODAY - 30 * DAY, last_seen=LONG_AGO)

    assert contact not in services.retention_stale(TODAY, RetentionPolicy.current())


def test_retention_erasure_never_signs_anyone_out(recruiter, teammate):
    """An erased contact's address may be a colleague's: only the person's own request
    ends their sessions."""
    contact = person(recruiter, last_seen=LONG_AGO, email=teammate.email)
    warned(contact)
    colleague = client_for(teammate)

    services.retention_run(today=TODAY)

    assert not exists(contact)
    assert ErasureRecord.objects.get().sessions_ended == 0
    assert colleague.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("expires_on", [TODAY, TODAY + DAY, D(2027, 6, 1)])
def test_it_leaves_a_contact_with_live_consent_alone(recruiter, expires_on):
    consenting = person(
        recruiter, last_seen=LONG_AGO, lawful_basis=Basis.CONSENT, consent_expires_on=expires_on
    )
    warned(consenting)  # consent recorded since the warning: it is cancelled

    plan = services.retention_run(today=TODAY)

    assert plan.warn == plan.erase == []
    assert plan.cancel == [consenting]
    assert exists(consenting)
    assert not RetentionWarning.objects.exists()


@pytest.mark.parametrize("expires_on", [CUTOFF - DAY, None], ids=["expired", "withdrawn"])
def test_consent_that_has_ended_does_not_keep_a_contact(recruiter, expires_on):
    lapsed = person(
        recruiter, last_seen=LONG_AGO, lawful_basis=Basis.CONSENT, consent_expires_on=expires_on
    )

    services.retention_run(today=TODAY)

    assert RetentionWarning.objects.get().contact == lapsed


@pytest.mark.parametrize("expires_on", [CUTOFF, TODAY - DAY], ids=["on-cutoff", "yesterday"])
def test_consent_live_within_the_period_keeps_a_contact(recruiter, expires_on):
    """No live consent *for* the policy's months: consent that ran past the cutoff
    was live within them."""
    person(recruiter, last_seen=LONG_AGO, lawful_basis=Basis.CONSENT, consent_expires_on=expires_on)

    plan = services.retention_run(today=TODAY)

    assert (plan.warn, plan.erase) == ([], [])
    assert not RetentionWarning.objects.exists()


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.APPROVED])
def test_it_leaves_a_contact_linked_to_an_open_request_alone(recruiter, status):
    asked = person(recruiter, last_seen=LONG_AGO)
    due = person(recruiter, last_seen=LONG_AGO)
    warned(due)
    DataRequestFactory(contacts=[asked, due], status=status, identity_checked_on=TODAY - 5 * DAY)

    plan = services.retention_run(today=TODAY)

    assert plan.warn == plan.erase == []
    assert plan.cancel == [due]
    assert exists(asked) and exists(due)
    assert not ErasureRecord.objects.exists()


@pytest.mark.parametrize(
    "closed",
    [
        {"status": Status.REFUSED, "refusal_reason": "Manifestly unfounded."},
        {"status": Status.COMPLETED, "identity_checked_on": D(2026, 1, 5)},
    ],
    ids=["refused", "completed"],
)
def test_a_closed_request_does_not_keep_a_contact(recruiter, closed):
    contact = person(recruiter, last_seen=LONG_AGO)
    DataRequestFactory(contacts=[contact], kind="access", **closed)

    services.retention_run(today=TODAY)

    assert RetentionWarning.objects.get().contact == contact


# Erasure after the grace period, and cancelling


def test_it_does_not_erase_before_the_grace_period_is_over(recruiter, mailoutbox):
    contact = person(recruiter, last_seen=LONG_AGO)
    services.retention_run(today=TODAY)

    plan = services.retention_run(today=TODAY + GRACE - DAY)

    assert (plan.warn, plan.erase, plan.cancel) == ([], [], [])
    assert exists(contact)
    assert RetentionWarning.objects.get().warned_on == TODAY
    assert len(mailoutbox) == 1  # no second warning


def test_it_erases_a_warned_contact_when_the_grace_period_is_over(recruiter, teammate):
    contact = person(
        recruiter,
        last_seen=LONG_AGO,
        first_name="Marguerite",
        last_name="Thistlewood",
        email="m.thistlewood@example.org",
        phone="020 7946 0958",
    )
    alone = Activity.objects.get()
    shared = ActivityFactory(
        owner=recruiter,
        contacts=[contact, person(recruiter, last_seen=TODAY - 5 * DAY)],
        date=LONG_AGO,
        summary="Coffee with Marguerite Thistlewood and a colleague",
    )
    services.retention_run(today=TODAY)

    plan = services.retention_run(today=TODAY + GRACE)

    assert [c.pk for c in plan.erase] == [contact.pk]
    assert not exists(contact)
    record = ErasureRecord.objects.get()
    assert record.by_retention is True
    assert record.request is None
    assert (record.contacts_erased, record.activities_kept) == (1, 2)
    alone.refresh_from_db()
    shared.refresh_from_db()
    assert (alone.erased_people, shared.erased_people) == (1, 1)
    assert alone.summary == services.REMOVED
    assert "Thistlewood" not in shared.summary
    assert not Suppression.objects.exists()  # not asked by the person: they may come back
    assert not services.is_suppressed(email="m.thistlewood@example.org")
    assert not RetentionWarning.objects.exists()
    event = AuditEvent.objects.get(action=Action.ERASED)
    assert (event.actor, event.object_type, event.object_id) == (
        None,
        "privacy.erasurerecord",
        record.pk,
    )


def test_a_contact_erased_by_retention_may_be_added_again(recruiter):
    contact = person(recruiter, last_seen=LONG_AGO, email="again@example.org")
    warned(contact)

    services.retention_run(today=TODAY)

    assert not exists(contact)
    assert not services.is_suppressed(email="again@example.org", phone=contact.phone)


def test_it_cancels_the_warning_of_a_contact_active_again(recruiter):
    contact = person(recruiter, last_seen=LONG_AGO)
    services.retention_run(today=TODAY)
    ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY + 5 * DAY)

    plan = services.retention_run(today=TODAY + GRACE)

    assert plan.cancel == [contact]
    assert plan.erase == []
    assert exists(contact)
    assert not RetentionWarning.objects.exists()
    assert not ErasureRecord.objects.exists()


def test_it_deletes_retained_records_past_their_date(db):
    past = retained(TODAY - DAY)
    today = retained(TODAY)
    future = retained(D(2027, 1, 1))

    plan = services.retention_run(today=TODAY)

    assert plan.retained_expired == [past.pk]
    assert sorted(RetainedRecord.objects.values_list("pk", flat=True)) == [today.pk, future.pk]
    assert ErasureRecord.objects.count() == 3  # the records of the erasures stay


# The policy


def test_a_disabled_policy_warns_and_erases_no_one(recruiter, mailoutbox):
    set_policy(enabled=False)
    stale = person(recruiter, last_seen=LONG_AGO)
    due = person(recruiter, last_seen=LONG_AGO)
    warned(due)

    plan = services.retention_run(today=TODAY)

    assert (plan.warn, plan.erase, plan.cancel) == ([], [], [due])
    assert exists(stale) and exists(due)
    assert not RetentionWarning.objects.exists()
    assert not ErasureRecord.objects.exists()
    assert mailoutbox == []


def test_switching_retention_on_again_starts_a_fresh_notice_period(recruiter, mailoutbox):
    """An old warning must not erase at once: the owner is warned again."""
    set_policy(enabled=False)
    due = person(recruiter, last_seen=LONG_AGO)
    warned(due)
    services.retention_run(today=TODAY)
    set_policy(enabled=True)

    plan = services.retention_run(today=TODAY + DAY)

    assert (plan.warn, plan.erase) == ([due], [])
    assert exists(due)
    assert RetentionWarning.objects.get(contact=due).erase_on == TODAY + DAY + GRACE


def test_a_contact_active_again_after_the_plan_was_made_is_not_erased(recruiter, monkeypatch):
    """The plan is made before the emails go out; an activity logged meanwhile counts."""
    due = person(recruiter, last_seen=LONG_AGO)
    warned(due)
    warn = services.retention_warn_owners

    def log_an_activity_meanwhile(contacts, **kwargs):
        ActivityFactory(owner=recruiter, contacts=[due], date=TODAY)
        return warn(contacts, **kwargs)

    monkeypatch.setattr(services, "retention_warn_owners", log_an_activity_meanwhile)

    plan = services.retention_run(today=TODAY)

    assert plan.erase == [due]  # planned, but not carried out
    assert exists(due)
    assert not ErasureRecord.objects.exists()


def test_an_overlapping_run_does_not_erase_twice(recruiter):
    due = person(recruiter, last_seen=LONG_AGO)
    warned(due)
    plan = services.retention_plan(today=TODAY)
    services.retention_run(today=TODAY)

    services._retention_erase(plan.erase[0], today=TODAY, policy=plan.policy)

    assert services.person_erase(contacts=plan.erase) is None
    assert ErasureRecord.objects.count() == 1


def test_it_follows_the_policys_months_and_grace_days(recruiter, mailoutbox):
    set_policy(inactive_months=12, grace_days=10)
    thirteen_months = person(recruiter, last_seen=D(2025, 5, 14))
    eleven_months = person(recruiter, last_seen=D(2025, 7, 15))

    services.retention_run(today=TODAY)

    warning = RetentionWarning.objects.get()
    assert warning.contact == thirteen_months
    assert warning.erase_on == TODAY + 10 * DAY
    assert "will be erased on 25/06/2026" in mailoutbox[0].subject
    services.retention_run(today=TODAY + 10 * DAY)
    assert not exists(thirteen_months)
    assert exists(eleven_months)


@pytest.mark.parametrize(
    "today, months, cutoff",
    [
        (D(2026, 6, 15), 24, D(2024, 6, 15)),
        (D(2025, 8, 31), 6, D(2025, 2, 28)),  # no 31 February: the month's last day
        (D(2026, 3, 31), 25, D(2024, 2, 29)),  # a leap year's last day of February
        (D(2026, 1, 31), 13, D(2024, 12, 31)),  # across the turn of a year
    ],
)
def test_the_last_activity_on_the_cutoff_is_not_stale_and_the_day_before_is(
    recruiter, today, months, cutoff
):
    policy = set_policy(inactive_months=months)
    on_cutoff = person(recruiter, last_seen=cutoff)
    day_before = person(recruiter, last_seen=cutoff - DAY)

    stale = services.retention_stale(today, policy)

    assert list(stale.values_list("pk", flat=True)) == [day_before.pk]
    assert on_cutoff.pk not in stale.values_list("pk", flat=True)


def test_a_contact_added_on_the_cutoff_is_not_stale_and_the_day_before_is(recruiter):
    on_cutoff = person(recruiter, added=CUTOFF)
    day_before = person(recruiter, added=CUTOFF - DAY)

    stale = services.retention_stale(TODAY, RetentionPolicy.current())

    assert list(stale.values_list("pk", flat=True)) == [day_before.pk]
    assert on_cutoff.pk not in stale.values_list("pk", flat=True)


# The dry run is the run


def _state() -> dict:
    return {
        "contacts": set(Contact.objects.values_list("pk", flat=True)),
        "warnings": set(RetentionWarning.objects.values_list("contact", flat=True)),
        "retained": set(RetainedRecord.objects.values_list("pk", flat=True)),
    }


def _planned(plan) -> dict:
    return {
        "warn": {c.pk for c in plan.warn},
        "erase": {c.pk for c in plan.erase},
        "cancel": {c.pk for c in plan.cancel},
        "delete": set(plan.retained_expired),
    }


def _done(before: dict, after: dict) -> dict:
    erased = before["contacts"] - after["contacts"]
    return {
        "warn": after["warnings"] - before["warnings"],
        "erase": erased,
        "cancel": before["warnings"] - after["warnings"] - erased,
        "delete": before["retained"] - after["retained"],
    }


def _dry_run_then_run(day: datetime.date) -> dict:
    """The dry run for `day`, checked against what the run then does to the database."""
    before = _state()
    planned = _planned(services.retention_plan(today=day))
    assert _state() == before  # the dry run writes nothing

    services.retention_run(today=day)

    assert _done(before, _state()) == planned
    new = RetentionWarning.objects.filter(contact__in=planned["warn"])
    assert {(w.warned_on, w.erase_on) for w in new} <= {(day, day + GRACE)}
    return planned


def test_the_dry_run_is_exactly_what_the_run_does_on_two_successive_dates(
    recruiter, teammate, mailoutbox
):
    warn_now = person(recruiter, last_seen=D(2024, 1, 10))
    due = person(recruiter, last_seen=LONG_AGO)
    warned(due, on=D(2026, 5, 1), erase_on=D(2026, 5, 31))
    waiting = person(teammate, added=D(2023, 3, 3))
    warned(waiting, on=D(2026, 6, 1), erase_on=D(2026, 7, 1))
    active_again = person(recruiter, last_seen=LONG_AGO)
    warned(active_again, on=D(2026, 6, 1), erase_on=D(2026, 7, 1))
    ActivityFactory(owner=recruiter, contacts=[active_again], date=D(2026, 6, 10))
    consented_since = person(
        teammate, last_seen=LONG_AGO, lawful_basis=Basis.CONSENT, consent_expires_on=D(2028, 6, 1)
    )
    warned(consented_since, on=D(2026, 6, 1), erase_on=D(2026, 7, 1))
    soon_stale = person(teammate, last_seen=D(2024, 7, 1))
    recent = person(recruiter, last_seen=D(2026, 1, 5))
    asked = person(recruiter, last_seen=LONG_AGO)
    DataRequestFactory(contacts=[asked])
    old, mid, future = retained(D(2026, 6, 1)), retained(D(2026, 7, 1)), retained(D(2027, 1, 1))

    day1 = _dry_run_then_run(TODAY)

    assert day1 == {
        "warn": {warn_now.pk},
        "erase": {due.pk},
        "cancel": {active_again.pk, consented_since.pk},
        "delete": {old.pk},
    }
    assert [m.to for m in mailoutbox] == [[recruiter.email]]

    day2 = _dry_run_then_run(TODAY + GRACE)

    assert day2 == {
        "warn": {soon_stale.pk},
        "erase": {warn_now.pk, waiting.pk},
        "cancel": set(),
        "delete": {mid.pk},
    }
    assert [m.to for m in mailoutbox] == [[recruiter.email], [teammate.email]]
    left = set(Contact.objects.values_list("pk", flat=True))
    assert left >= {active_again.pk, consented_since.pk, soon_stale.pk, recent.pk, asked.pk}
    assert list(RetainedRecord.objects.values_list("pk", flat=True)) == [future.pk]
    assert ErasureRecord.objects.filter(by_retention=True).count() == 3


def test_the_run_returns_the_plan_it_carried_out(recruiter):
    person(recruiter, last_seen=LONG_AGO)
    warned(person(recruiter, last_seen=LONG_AGO))
    dry = _planned(services.retention_plan(today=TODAY))

    plan = services.retention_run(today=TODAY)

    assert _planned(plan) == dry


def test_running_twice_on_the_same_day_does_nothing_more(recruiter, mailoutbox):
    person(recruiter, last_seen=LONG_AGO)
    warned(person(recruiter, last_seen=LONG_AGO))
    services.retention_run(today=TODAY)
    before = _state()

    plan = services.retention_run(today=TODAY)

    assert _planned(plan) == {"warn": set(), "erase": set(), "cancel": set(), "delete": set()}
    assert _state() == before
    assert len(mailoutbox) == 1
    assert ErasureRecord.objects.count() == 1


def test_one_failed_erasure_does_not_hold_back_the_rest(recruiter, monkeypatch, mailoutbox):
    first, second = person(recruiter, last_seen=LONG_AGO), person(recruiter, last_seen=LONG_AGO)
    warned(first)
    warned(second)
    newly_stale = person(recruiter, last_seen=LONG_AGO)
    erase = services.person_erase

    def fail_on_first(*, contacts, **kwargs):
        if contacts[0].pk == first.pk:
            raise DatabaseError("deadlock detected")
        return erase(contacts=contacts, **kwargs)

    monkeypatch.setattr(services, "person_erase", fail_on_first)

    plan = services.retention_run(today=TODAY)

    assert plan.failed == [first]
    assert exists(first)
    assert not exists(second)
    assert RetentionWarning.objects.filter(contact=newly_stale).exists()
    assert [m.to for m in mailoutbox] == [[recruiter.email]]


# The daily job


def test_retention_daily_runs_for_today_and_returns_the_counts(recruiter, teammate, mailoutbox):
    today = timezone.localdate()
    stale = person(recruiter, last_seen=today - 800 * DAY)
    due = person(teammate, last_seen=today - 800 * DAY)
    warned(due, on=today - 31 * DAY, erase_on=today - DAY)
    active_again = person(recruiter, last_seen=today - 800 * DAY)
    warned(active_again, on=today - 5 * DAY, erase_on=today + 25 * DAY)
    ActivityFactory(owner=recruiter, contacts=[active_again], date=today)
    dry = _planned(services.retention_plan(today=today))

    counts = tasks.retention_daily()

    assert counts == {"warned": 1, "erased": 1, "cancelled": 1, "failed": 0}
    assert dry == {
        "warn": {stale.pk},
        "erase": {due.pk},
        "cancel": {active_again.pk},
        "delete": set(),
    }
    warning = RetentionWarning.objects.get()
    assert (warning.contact, warning.warned_on) == (stale, today)
    assert not exists(due)
    assert [m.to for m in mailoutbox] == [[recruiter.email]]


def test_retention_daily_with_nothing_to_do_returns_zeros(db):
    assert tasks.retention_daily() == {"warned": 0, "erased": 0, "cancelled": 0, "failed": 0}


def _review(contact, decision: str, on: datetime.date) -> None:
    Review.objects.create(
        owner=contact.owner,
        contact=contact,
        reviewed_on=on,
        value=2,
        activity=1,
        potential=1,
        rationale="No reply in a year.",
        decision=decision,
    )


def test_a_discontinued_relationship_goes_after_the_shorter_period(recruiter):
    """Discontinuing feeds retention: quiet for discontinued_months (6) is enough."""
    seven_months = person(recruiter, last_seen=TODAY - 7 * 30 * DAY)
    _review(seven_months, "discontinue", TODAY - 30 * DAY)
    five_months = person(recruiter, last_seen=TODAY - 5 * 30 * DAY)
    _review(five_months, "discontinue", TODAY - 30 * DAY)
    kept_on = person(recruiter, last_seen=TODAY - 7 * 30 * DAY)
    _review(kept_on, "discontinue", TODAY - 60 * DAY)
    _review(kept_on, "maintain", TODAY - 30 * DAY)  # the latest review decides

    stale = set(services.retention_stale(TODAY, RetentionPolicy.current()))

    assert stale == {seven_months}


def test_live_consent_keeps_a_discontinued_relationship(recruiter):
    contact = person(
        recruiter,
        last_seen=TODAY - 7 * 30 * DAY,
        lawful_basis=Basis.CONSENT,
        consent_expires_on=TODAY + 30 * DAY,
    )
    _review(contact, "discontinue", TODAY - 30 * DAY)

    assert contact not in services.retention_stale(TODAY, RetentionPolicy.current())
