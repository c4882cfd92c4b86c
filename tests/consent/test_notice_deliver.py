"""GET/POST /contacts/<pk>/notice/: record that a version of the privacy notice went to
a contact, when and how. The contact keeps the date of the first delivery."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import DeliveryMethod, NoticeDelivery, PrivacyNotice
from contacts.models import Contact, Kind
from netlog.history import HistoryIsAppendOnly
from tests.conftest import client_for
from tests.factories import ContactFactory

DAY = datetime.timedelta(days=1)
SENT_ON = datetime.date(2024, 3, 15)
NOTICE_TEXT = "We keep your details to find you work. " * 3


def url(contact) -> str:
    return f"/contacts/{contact.pk}/notice/"


@pytest.fixture
def contact(recruiter):
    return ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")


@pytest.fixture
def notice(db):
    return PrivacyNotice.objects.create(version=1, text=NOTICE_TEXT)


@pytest.fixture
def newer_notice(notice):
    return PrivacyNotice.objects.create(version=2, text=NOTICE_TEXT + "Version two.")


def form_data(sent: PrivacyNotice | None, **overrides) -> dict:
    data = {
        "notice": sent.pk if sent else "",
        "delivered_on": SENT_ON.isoformat(),
        "method": DeliveryMethod.EMAIL,
    }
    return {**data, **overrides}


def _delivered_on(contact: Contact) -> datetime.date | None:
    contact.refresh_from_db()
    return contact.notice_delivered_on


def test_it_shows_the_form_dated_today(as_recruiter, contact, notice):
    response = as_recruiter.get(url(contact))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["delivered_on"].value() == timezone.localdate()
    assert "Record a privacy notice sent" in response.content.decode()


def test_it_offers_the_latest_version_first(as_recruiter, contact, newer_notice):
    form = as_recruiter.get(url(contact)).context["form"]

    assert list(form.fields["notice"].queryset) == [
        newer_notice,
        PrivacyNotice.objects.get(version=1),
    ]
    assert form.fields["notice"].empty_label is None  # the browser selects the latest


def test_it_records_the_delivery(as_recruiter, recruiter, contact, newer_notice):
    response = as_recruiter.post(url(contact), form_data(newer_notice))

    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    delivery = NoticeDelivery.objects.get()
    assert delivery.contact == contact
    assert delivery.notice == newer_notice
    assert delivery.delivered_on == SENT_ON
    assert delivery.method == DeliveryMethod.EMAIL
    assert delivery.recorded_by == recruiter
    assert _delivered_on(contact) == SENT_ON


def test_it_says_so_after_recording(as_recruiter, contact, notice):
    response = as_recruiter.post(url(contact), form_data(notice), follow=True)

    html = response.content.decode()
    assert "Privacy notice delivery recorded." in html
    assert "Privacy notice sent 15 Mar 2024." in html


def test_a_delivery_can_be_dated_today(as_recruiter, contact, notice):
    today = timezone.localdate()

    response = as_recruiter.post(url(contact), form_data(notice, delivered_on=today.isoformat()))

    assert response.status_code == 302
    assert _delivered_on(contact) == today


def test_a_later_delivery_keeps_the_first_date(as_recruiter, contact, notice, newer_notice):
    as_recruiter.post(url(contact), form_data(notice))
    later = SENT_ON + 10 * DAY

    as_recruiter.post(url(contact), form_data(newer_notice, delivered_on=later.isoformat()))

    assert NoticeDelivery.objects.count() == 2
    assert _delivered_on(contact) == SENT_ON


def test_an_earlier_delivery_replaces_the_date(as_recruiter, contact, notice):
    as_recruiter.post(url(contact), form_data(notice))
    earlier = SENT_ON - 10 * DAY

    as_recruiter.post(url(contact), form_data(notice, delivered_on=earlier.isoformat()))

    assert NoticeDelivery.objects.count() == 2
    assert _delivered_on(contact) == earlier


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"delivered_on": ""}, "delivered_on"),
        ({"delivered_on": "last week"}, "delivered_on"),
        ({"method": ""}, "method"),
        ({"method": "carrier_pigeon"}, "method"),
        ({"notice": ""}, "notice"),
        ({"notice": "999999"}, "notice"),
    ],
)
def test_bad_input_saves_nothing(as_recruiter, contact, notice, overrides, field):
    response = as_recruiter.post(url(contact), form_data(notice, **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not NoticeDelivery.objects.exists()
    assert _delivered_on(contact) is None


def test_it_refuses_a_delivery_dated_in_the_future(as_recruiter, contact, notice):
    tomorrow = timezone.localdate() + DAY

    response = as_recruiter.post(url(contact), form_data(notice, delivered_on=tomorrow.isoformat()))

    assert response.context["form"].errors["delivered_on"] == [
        "This cannot be dated in the future."
    ]
    assert not NoticeDelivery.objects.exists()
    assert _delivered_on(contact) is None


def test_with_no_notice_published_nothing_can_be_recorded(as_recruiter, contact):
    response = as_recruiter.get(url(contact))

    assert "The DPO has not published a privacy notice yet." in response.content.decode()

    response = as_recruiter.post(url(contact), form_data(None))

    assert response.status_code == 200
    assert "notice" in response.context["form"].errors
    assert not NoticeDelivery.objects.exists()
    assert _delivered_on(contact) is None


def test_it_saves_nothing_on_get(as_recruiter, contact, notice):
    as_recruiter.get(url(contact), form_data(notice))

    assert not NoticeDelivery.objects.exists()
    assert _delivered_on(contact) is None


def test_another_recruiter_gets_404_and_changes_nothing(as_outsider, contact, notice):
    assert as_outsider.get(url(contact)).status_code == 404
    assert as_outsider.post(url(contact), form_data(notice)).status_code == 404
    assert not NoticeDelivery.objects.exists()


def test_a_teammate_gets_404(teammate, contact, notice):
    client = client_for(teammate)

    assert client.post(url(contact), form_data(notice)).status_code == 404
    assert not NoticeDelivery.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 403), ("dpo", 403), ("other_manager", 404), ("assessor", 403)],
)
def test_only_the_owner_may_record_a_delivery(request, contact, notice, role, status):
    client = client_for(request.getfixturevalue(role))

    assert client.get(url(contact)).status_code == status
    assert client.post(url(contact), form_data(notice)).status_code == status
    assert not NoticeDelivery.objects.exists()
    assert _delivered_on(contact) is None


def test_a_manager_gets_404_for_a_personal_contact(recruiter, manager, notice):
    personal = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)

    assert client_for(manager).post(url(personal), form_data(notice)).status_code == 404
    assert not NoticeDelivery.objects.exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, contact, notice):
    response = client.post(url(contact), form_data(notice))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(contact)}"
    assert not NoticeDelivery.objects.exists()


def test_a_delivery_cannot_be_rewritten(recruiter, contact, notice):
    delivery = services.notice_deliver(
        contact=contact,
        notice=notice,
        delivered_on=SENT_ON,
        method=DeliveryMethod.EMAIL,
        by=recruiter,
    )

    delivery.method = DeliveryMethod.LETTER
    with pytest.raises(HistoryIsAppendOnly):
        delivery.save()
    with pytest.raises(HistoryIsAppendOnly):
        NoticeDelivery.objects.filter(pk=delivery.pk).update(delivered_on=SENT_ON - DAY)

    delivery.refresh_from_db()
    assert (delivery.method, delivery.delivered_on) == (DeliveryMethod.EMAIL, SENT_ON)
