"""The daily reminders digest (reviews.reminders): digest_for gathers what one person
should act on, digests_send emails each person once with counts and a link, and the
job reviews.tasks.reminders_daily runs it for today. `today` is passed in: our frozen
time (testimony requests are chased by the clock, see below)."""

import datetime
import secrets

import pytest
from django.conf import settings
from django.utils import timezone

from contacts.models import Channel, Contact, Kind
from privacy.models import Status
from reviews import reminders, tasks
from reviews.models import Decision, Review, TestimonyRequest
from reviews.reminders import digest_for, digests_send
from tests.factories import ActivityFactory, ContactFactory, DataRequestFactory

TODAY = datetime.date(2025, 6, 15)
DAY = datetime.timedelta(days=1)
LINK = f"{settings.SITE_URL}/reminders/"


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _contact(owner, name: str = "Zebedee", **fields) -> Contact:
    """A client met directly (no privacy notice owed), added a week before TODAY."""
    fields = {"kind": Kind.CLIENT, "source_channel": Channel.INBOUND, **fields}
    fields.setdefault("created_at", _at(TODAY - 7 * DAY))
    return ContactFactory(owner=owner, first_name=name, last_name="Quixley", **fields)


def _follow_up(owner, on: datetime.date, *, done: bool = False, contact=None):
    return ActivityFactory(
        owner=owner,
        contacts=[contact or _contact(owner)],
        date=min(on, TODAY) - 10 * DAY,
        follow_up_on=on,
        follow_up_done_at=timezone.now() if done else None,
    )


def _review_action(owner, on: datetime.date | None, *, done: bool = False) -> Review:
    return Review.objects.create(
        owner=owner,
        contact=_contact(owner),
        reviewed_on=TODAY - 30 * DAY,
        value=3,
        activity=3,
        potential=3,
        rationale="Reasons.",
        decision=Decision.STRENGTHEN,
        next_actions="Introduce them to the platform team.",
        next_action_on=on,
        next_action_done_at=timezone.now() if done else None,
    )


def _testimony_request(owner, *, asked_ago: datetime.timedelta, expires_in, used=False):
    now = timezone.now()
    return TestimonyRequest.objects.create(
        owner=owner,
        contact=_contact(owner),
        token_hash=secrets.token_hex(32),
        created_at=now - asked_ago,
        expires_at=now + expires_in,
        used_at=now if used else None,
    )


def _data_request(dpo, due_on: datetime.date, **fields):
    return DataRequestFactory(
        received_by=dpo, received_on=TODAY - 25 * DAY, due_on=due_on, **fields
    )


# Follow-ups


def test_it_gathers_follow_ups_due_today_or_overdue(recruiter):
    overdue = _follow_up(recruiter, TODAY - 2 * DAY)
    today = _follow_up(recruiter, TODAY)
    _follow_up(recruiter, TODAY + DAY)  # not yet
    _follow_up(recruiter, TODAY - DAY, done=True)
    ActivityFactory(owner=recruiter, contacts=[_contact(recruiter)], date=TODAY - DAY)

    assert list(digest_for(recruiter, TODAY).follow_ups) == [overdue, today]


def test_it_gathers_only_the_users_own_follow_ups(recruiter, teammate):
    _follow_up(teammate, TODAY)

    assert list(digest_for(recruiter, TODAY).follow_ups) == []


# Review next actions


def test_it_gathers_review_actions_due_today_or_overdue(recruiter, teammate):
    overdue = _review_action(recruiter, TODAY - 3 * DAY)
    today = _review_action(recruiter, TODAY)
    _review_action(recruiter, TODAY + DAY)  # not yet
    _review_action(recruiter, TODAY - DAY, done=True)
    _review_action(recruiter, None)  # no date
    _review_action(teammate, TODAY)  # someone else's

    assert set(digest_for(recruiter, TODAY).review_actions) == {overdue, today}


# Stay in touch


def test_it_gathers_contacts_overdue_for_a_conversation(recruiter):
    overdue = _contact(recruiter, "Overdue", created_at=_at(TODAY - 181 * DAY))
    _contact(recruiter, "Due", created_at=_at(TODAY - 120 * DAY))  # only amber
    _contact(recruiter, "Fine")
    _contact(recruiter, "Private", kind=Kind.PERSONAL, created_at=_at(TODAY - 400 * DAY))
    spoken = _contact(recruiter, "Spoken", created_at=_at(TODAY - 400 * DAY))
    ActivityFactory(owner=recruiter, contacts=[spoken], date=TODAY - 20 * DAY)

    rows = digest_for(recruiter, TODAY).out_of_touch

    assert [row.contact for row in rows] == [overdue]
    assert rows[0].state == "overdue"


# Testimony requests (chased by the clock: the request's times are moments)


def test_it_gathers_testimony_requests_unanswered_for_three_days(recruiter, teammate):
    today = timezone.localdate()
    old = _testimony_request(recruiter, asked_ago=3 * DAY, expires_in=4 * DAY)  # exactly 3 days
    older = _testimony_request(recruiter, asked_ago=6 * DAY, expires_in=DAY)
    _testimony_request(recruiter, asked_ago=2 * DAY, expires_in=5 * DAY)  # brand new
    _testimony_request(recruiter, asked_ago=4 * DAY, expires_in=3 * DAY, used=True)
    _testimony_request(recruiter, asked_ago=8 * DAY, expires_in=-DAY)  # expired
    _testimony_request(teammate, asked_ago=4 * DAY, expires_in=3 * DAY)

    assert set(digest_for(recruiter, today).testimony_requests) == {old, older}


def test_it_does_not_chase_a_request_asked_less_than_three_days_ago(recruiter):
    """Counted in days, as of the digest's day: asked two days ago is too soon."""
    _testimony_request(recruiter, asked_ago=2 * DAY, expires_in=4 * DAY)

    assert list(digest_for(recruiter, timezone.localdate()).testimony_requests) == []


def test_it_chases_testimony_requests_as_of_the_digests_day(recruiter):
    request = TestimonyRequest.objects.create(
        owner=recruiter,
        contact=_contact(recruiter),
        token_hash=secrets.token_hex(32),
        created_at=_at(TODAY - 4 * DAY),
        expires_at=_at(TODAY + 3 * DAY),
    )

    assert list(digest_for(recruiter, TODAY).testimony_requests) == [request]


# Privacy notices


def test_it_gathers_privacy_notices_overdue(recruiter):
    month_ago = _at(TODAY - 40 * DAY)
    late = _contact(recruiter, "Late", source_channel=Channel.LINKEDIN, created_at=month_ago)
    contacted = _contact(recruiter, "Contacted", source_channel=Channel.REFERRAL)
    ActivityFactory(owner=recruiter, contacts=[contacted], date=TODAY - 5 * DAY)
    _contact(recruiter, "Recent", source_channel=Channel.LINKEDIN)  # due, not overdue
    _contact(recruiter, "Direct", source_channel=Channel.INBOUND, created_at=month_ago)
    sent = _contact(recruiter, "Sent", source_channel=Channel.LINKEDIN, created_at=month_ago)
    Contact.objects.filter(pk=sent.pk).update(notice_delivered_on=TODAY - 20 * DAY)

    overdue = digest_for(recruiter, TODAY).notices_overdue

    assert {contact.first_name for contact in overdue} == {late.first_name, contacted.first_name}


# Data protection requests (the DPO)


def test_it_gathers_the_dpos_requests_due_within_a_week_or_overdue(dpo):
    overdue = _data_request(dpo, TODAY - DAY)
    week = _data_request(dpo, TODAY + 7 * DAY)
    today = _data_request(dpo, TODAY)
    _data_request(dpo, TODAY + 8 * DAY)  # later
    _data_request(dpo, TODAY, status=Status.REFUSED, refusal_reason="Manifestly unfounded.")
    _data_request(dpo, TODAY, status=Status.COMPLETED, identity_checked_on=TODAY - 20 * DAY)

    assert list(digest_for(dpo, TODAY).data_requests) == [overdue, today, week]


def test_it_gives_a_recruiter_no_data_requests(recruiter, dpo):
    _data_request(dpo, TODAY)

    assert list(digest_for(recruiter, TODAY).data_requests) == []


@pytest.mark.parametrize("role", ["manager", "assessor", "dpo"])
def test_it_gives_other_roles_none_of_the_recruiters_items(request, recruiter, role):
    _follow_up(recruiter, TODAY)
    _review_action(recruiter, TODAY)
    _contact(recruiter, "Overdue", created_at=_at(TODAY - 400 * DAY))

    digest = digest_for(request.getfixturevalue(role), TODAY)

    assert digest.empty
    assert digest.counts() == []


def test_it_counts_each_kind_of_item(recruiter):
    for _ in range(2):
        _follow_up(recruiter, TODAY)
    _review_action(recruiter, TODAY)

    digest = digest_for(recruiter, TODAY)

    assert not digest.empty
    assert digest.counts() == [("follow-ups due or overdue", 2), ("review next actions due", 1)]


# digests_send


@pytest.fixture
def busy(recruiter):
    """The recruiter with five follow-ups and two review actions due."""
    for days in range(5):
        _follow_up(recruiter, TODAY - days * DAY)
    _review_action(recruiter, TODAY)
    _review_action(recruiter, TODAY - DAY)
    return recruiter


def test_it_sends_one_email_per_person_however_many_items(busy, mailoutbox):
    sent = digests_send(TODAY)

    assert sent == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [busy.email]
    assert email.subject == "netlog: your reminders for 15/06/2025"
    assert "- 5 follow-ups due or overdue\n" in email.body
    assert "- 2 review next actions due\n" in email.body


def test_it_sends_each_person_their_own(busy, teammate, dpo, mailoutbox):
    _follow_up(teammate, TODAY)
    _data_request(dpo, TODAY)

    assert digests_send(TODAY) == 3

    by_person = {email.to[0]: email.body for email in mailoutbox}
    assert set(by_person) == {busy.email, teammate.email, dpo.email}
    assert "- 1 follow-ups due or overdue\n" in by_person[teammate.email]
    assert "- 1 data protection requests near their deadline\n" in by_person[dpo.email]
    assert "follow-ups" not in by_person[dpo.email]


def test_it_sends_nothing_to_people_with_nothing_due(
    recruiter, teammate, manager, dpo, assessor, mailoutbox
):
    _follow_up(recruiter, TODAY + DAY)

    assert digests_send(TODAY) == 0
    assert mailoutbox == []


def test_it_sends_nothing_to_inactive_users(recruiter, mailoutbox):
    _follow_up(recruiter, TODAY)
    recruiter.is_active = False
    recruiter.save()

    assert digests_send(TODAY) == 0
    assert mailoutbox == []


def test_it_sends_nothing_to_users_without_an_email(recruiter, mailoutbox):
    _follow_up(recruiter, TODAY)
    recruiter.email = ""
    recruiter.save()

    assert digests_send(TODAY) == 0
    assert mailoutbox == []


def test_its_email_names_no_one_and_links_to_the_reminders_page(recruiter, dpo, mailoutbox):
    person = _contact(
        recruiter, "Zebedee", email="zebedee.quixley@example.org", created_at=_at(TODAY)
    )
    _follow_up(recruiter, TODAY, contact=person)
    _review_action(recruiter, TODAY)
    _contact(recruiter, "Ottoline", created_at=_at(TODAY - 400 * DAY))
    _contact(
        recruiter, "Peregrine", source_channel=Channel.LINKEDIN, created_at=_at(TODAY - 60 * DAY)
    )
    _data_request(dpo, TODAY, requester_name="Wilhelmina Fotheringay")

    digests_send(TODAY)

    assert len(mailoutbox) == 2
    to_recruiter = next(email for email in mailoutbox if email.to == [recruiter.email])
    assert to_recruiter.body == (
        "Today in netlog:\n\n"
        "- 1 follow-ups due or overdue\n"
        "- 1 review next actions due\n"
        "- 1 contacts overdue for a conversation\n"
        "- 1 relationships due a review\n"
        "- 1 privacy notices overdue\n\n"
        f"See them: {LINK}\n"
    )
    for email in mailoutbox:
        text = f"{email.subject}\n{email.body}"
        for name in ("Zebedee", "Quixley", "zebedee.quixley", "Ottoline", "Peregrine"):
            assert name not in text
        assert "Wilhelmina" not in text and "Fotheringay" not in text
        assert "Introduce them" not in text  # the review's next actions
        assert LINK in email.body


def test_it_keeps_sending_when_one_email_fails(
    recruiter, teammate, outsider, mailoutbox, monkeypatch
):
    for person in (recruiter, teammate, outsider):
        _follow_up(person, TODAY)
    real_send_mail = reminders.send_mail

    def send_mail(**kwargs):
        if kwargs["recipient_list"] == [teammate.email]:
            raise OSError("Connection refused")
        return real_send_mail(**kwargs)

    monkeypatch.setattr(reminders, "send_mail", send_mail)

    assert digests_send(TODAY) == 2
    assert sorted(email.to[0] for email in mailoutbox) == sorted([recruiter.email, outsider.email])


def test_it_logs_a_failed_email_without_naming_anyone(recruiter, monkeypatch, caplog):
    _follow_up(recruiter, TODAY)

    def send_mail(**kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr(reminders, "send_mail", send_mail)

    assert digests_send(TODAY) == 0
    assert f"Reminder digest to user {recruiter.pk} failed" in caplog.text
    assert recruiter.email not in caplog.text


def test_it_sends_one_digest_a_day_even_if_run_twice(busy, mailoutbox):
    digests_send(TODAY)
    digests_send(TODAY)

    assert len(mailoutbox) == 1


# The job


def test_the_job_sends_todays_digests_and_returns_the_count(recruiter, teammate, mailoutbox):
    today = timezone.localdate()
    for person, on in ((recruiter, today), (recruiter, today + DAY), (teammate, today + DAY)):
        contact = _contact(person, created_at=timezone.now())  # not yet due a review
        ActivityFactory(owner=person, contacts=[contact], date=today - 2 * DAY, follow_up_on=on)

    assert tasks.reminders_daily() == 1

    assert [email.to for email in mailoutbox] == [[recruiter.email]]
    assert mailoutbox[0].subject == f"netlog: your reminders for {today:%d/%m/%Y}"
    assert "- 1 follow-ups due or overdue\n" in mailoutbox[0].body


def test_the_job_returns_zero_when_nothing_is_due(recruiter, mailoutbox):
    assert tasks.reminders_daily() == 0
    assert mailoutbox == []


def test_it_lists_relationships_due_a_review(recruiter):
    """Six months after the last review, or after being added if never reviewed."""
    old = _contact(recruiter, "Old", created_at=_at(TODAY - 200 * DAY))
    _contact(recruiter, "New", created_at=_at(TODAY - 10 * DAY))
    ActivityFactory(owner=recruiter, contacts=[old], date=TODAY - 5 * DAY)

    due = digest_for(recruiter, TODAY).reviews_due

    assert [row.contact for row in due] == [old]
