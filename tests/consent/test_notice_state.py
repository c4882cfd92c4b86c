"""The Art. 14 clock on a contact: Contact.notice_due_on, Contact.notice_state and
ContactQuerySet.notice_outstanding, which must agree with each other."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from consent import services
from consent.models import DeliveryMethod, PrivacyNotice
from contacts.models import Channel, Contact
from tests.factories import ActivityFactory, ContactFactory

LONDON = ZoneInfo("Europe/London")
DAY = datetime.timedelta(days=1)
DIRECT = [Channel.INBOUND, Channel.EVENT, Channel.JOB_BOARD]


def _in_london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def _contact(owner, *, created_at: datetime.datetime, **kwargs) -> Contact:
    contact = ContactFactory(owner=owner, **kwargs)
    Contact.objects.filter(pk=contact.pk).update(created_at=created_at)
    contact.refresh_from_db()
    return contact


def _deliver(contact: Contact, on: datetime.date) -> None:
    notice = PrivacyNotice.objects.first() or PrivacyNotice.objects.create(
        version=1, text="We keep your details. " * 6
    )
    services.notice_deliver(
        contact=contact,
        notice=notice,
        delivered_on=on,
        method=DeliveryMethod.EMAIL,
        by=contact.owner,
    )
    contact.refresh_from_db()


@pytest.mark.parametrize(
    ("created", "due"),
    [
        (_in_london(2024, 3, 15, 12), datetime.date(2024, 4, 15)),
        (_in_london(2024, 12, 20, 9), datetime.date(2025, 1, 20)),
        (_in_london(2023, 1, 31, 12), datetime.date(2023, 2, 28)),
        (_in_london(2024, 1, 31, 12), datetime.date(2024, 2, 29)),
        (_in_london(2024, 3, 31, 12), datetime.date(2024, 4, 30)),
    ],
)
def test_it_is_due_a_calendar_month_after_the_data_came_in(recruiter, created, due):
    assert _contact(recruiter, created_at=created).notice_due_on == due


def test_the_month_runs_from_the_local_date(recruiter):
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (BST).
    created = datetime.datetime(2024, 5, 31, 23, 30, tzinfo=datetime.UTC)

    assert _contact(recruiter, created_at=created).notice_due_on == datetime.date(2024, 7, 1)


@pytest.mark.parametrize("channel", Channel.indirect())
def test_it_is_due_for_every_indirect_channel(recruiter, channel):
    contact = _contact(recruiter, created_at=_in_london(2024, 3, 15, 12), source_channel=channel)

    assert contact.notice_due_on == datetime.date(2024, 4, 15)


@pytest.mark.parametrize("channel", DIRECT)
def test_it_is_never_due_when_the_person_gave_their_details(recruiter, channel):
    contact = _contact(recruiter, created_at=_in_london(2024, 3, 15, 12), source_channel=channel)

    assert contact.notice_due_on is None
    assert contact.notice_state(datetime.date(2025, 1, 1), contacted=True) == ""


def test_it_is_no_longer_due_once_delivered(recruiter):
    contact = _contact(recruiter, created_at=_in_london(2024, 3, 15, 12))

    _deliver(contact, datetime.date(2024, 3, 20))

    assert contact.notice_due_on is None
    assert contact.notice_state(datetime.date(2024, 3, 21), contacted=False) == "delivered"
    assert contact.notice_state(datetime.date(2025, 1, 1), contacted=True) == "delivered"


def test_it_is_due_up_to_and_including_the_due_date(recruiter):
    contact = _contact(recruiter, created_at=_in_london(2024, 3, 15, 12))

    assert contact.notice_state(datetime.date(2024, 3, 15), contacted=False) == "due"
    assert contact.notice_state(datetime.date(2024, 4, 15), contacted=False) == "due"


def test_it_is_overdue_the_day_after(recruiter):
    contact = _contact(recruiter, created_at=_in_london(2024, 3, 15, 12))

    assert contact.notice_state(datetime.date(2024, 4, 16), contacted=False) == "overdue"


def test_it_is_overdue_from_first_contact(recruiter):
    contact = _contact(recruiter, created_at=_in_london(2024, 3, 15, 12))

    assert contact.notice_state(datetime.date(2024, 3, 15), contacted=True) == "overdue"


def test_a_delivered_notice_counts_whatever_the_channel(recruiter):
    contact = _contact(
        recruiter, created_at=_in_london(2024, 3, 15, 12), source_channel=Channel.INBOUND
    )

    _deliver(contact, datetime.date(2024, 3, 20))

    assert contact.notice_state(datetime.date(2024, 3, 21), contacted=False) == "delivered"


@pytest.fixture
def mixed(recruiter) -> dict[str, Contact]:
    now = timezone.now()
    contacts = {
        "due": _contact(recruiter, created_at=now - 3 * DAY),
        "overdue": _contact(recruiter, created_at=now - 40 * DAY, source_channel=Channel.REFERRAL),
        "contacted": _contact(recruiter, created_at=now - 3 * DAY, source_channel=Channel.OTHER),
        "delivered": _contact(recruiter, created_at=now - 40 * DAY),
        "inbound": _contact(recruiter, created_at=now - 40 * DAY, source_channel=Channel.INBOUND),
        "event_contacted": _contact(recruiter, created_at=now, source_channel=Channel.EVENT),
        "job_board": _contact(recruiter, created_at=now, source_channel=Channel.JOB_BOARD),
    }
    ActivityFactory(owner=recruiter, contacts=[contacts["contacted"], contacts["event_contacted"]])
    _deliver(contacts["delivered"], timezone.localdate() - DAY)
    return contacts


def test_the_outstanding_are_those_due_or_overdue(mixed):
    outstanding = set(Contact.objects.notice_outstanding())

    assert outstanding == {mixed["due"], mixed["overdue"], mixed["contacted"]}


def test_outstanding_contacts_know_whether_they_were_contacted(mixed):
    contacted = dict(Contact.objects.notice_outstanding().values_list("pk", "contacted"))

    assert contacted == {
        mixed["due"].pk: False,
        mixed["overdue"].pk: False,
        mixed["contacted"].pk: True,
    }


def test_notice_state_agrees_with_the_outstanding_query(mixed):
    today = timezone.localdate()
    outstanding = {c.pk: c for c in Contact.objects.notice_outstanding()}

    states = {}
    for name, contact in mixed.items():
        contacted = contact.activities.exists()
        states[name] = contact.notice_state(today, contacted=contacted)
        assert (contact.pk in outstanding) == (states[name] in ("due", "overdue"))
        if contact.pk in outstanding:
            row = outstanding[contact.pk]
            assert row.notice_state(today, contacted=row.contacted) == states[name]

    assert states == {
        "due": "due",
        "overdue": "overdue",
        "contacted": "overdue",
        "delivered": "delivered",
        "inbound": "",
        "event_contacted": "",
        "job_board": "",
    }


def test_outstanding_counts_activities_only_once(recruiter):
    contact = _contact(recruiter, created_at=timezone.now())
    ActivityFactory(owner=recruiter, contacts=[contact])
    ActivityFactory(owner=recruiter, contacts=[contact])

    assert list(Contact.objects.notice_outstanding()) == [contact]
