"""GET and POST /contacts/<pk>/cadence/: how often to be in touch with one contact."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from privacy.models import Action, AuditEvent
from reviews.models import Cadence, Decision, Review
from tests.conftest import client_for, hidden_from
from tests.factories import ContactFactory

DAY = datetime.timedelta(days=1)
BOTH_OR_NEITHER = "Give both gaps, or leave both empty for the default."


@pytest.fixture
def sam(recruiter):
    contact = ContactFactory(
        owner=recruiter, first_name="Sam", last_name="Okafor", kind=Kind.CLIENT
    )
    # Reviewed, and not discontinued: the contact's page shows the stay-in-touch line.
    Review.objects.create(
        owner=recruiter,
        contact=contact,
        reviewed_on=timezone.localdate() - DAY,
        value=3,
        activity=3,
        potential=3,
        rationale="Steady.",
        decision=Decision.MAINTAIN,
    )
    return contact


def _url(contact) -> str:
    return reverse("reviews:cadence_edit", args=[contact.pk])


def _gaps(contact) -> list[tuple[int, int]]:
    return list(Cadence.objects.filter(contact=contact).values_list("ideal_days", "max_days"))


def test_it_shows_an_empty_form_for_a_contact_on_the_default(as_recruiter, sam):
    response = as_recruiter.get(_url(sam))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["ideal_days"].value() is None
    assert form["max_days"].value() is None
    assert "How often to be in touch with Sam Okafor" in response.content.decode()


def test_it_shows_the_contacts_own_cadence(as_recruiter, recruiter, sam):
    Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=30, max_days=45)

    form = as_recruiter.get(_url(sam)).context["form"]

    assert (form["ideal_days"].value(), form["max_days"].value()) == (30, 45)


def test_it_sets_both_gaps(as_recruiter, recruiter, sam):
    response = as_recruiter.post(_url(sam), {"ideal_days": "30", "max_days": "60"})

    assert response.status_code == 302
    assert response["Location"] == sam.get_absolute_url()
    cadence = Cadence.objects.get()
    assert (cadence.owner, cadence.contact, cadence.kind) == (recruiter, sam, "")
    assert (cadence.ideal_days, cadence.max_days) == (30, 60)


def test_it_records_an_audit_event_on_the_contact(as_recruiter, recruiter, sam):
    as_recruiter.post(_url(sam), {"ideal_days": "30", "max_days": "60"})

    event = AuditEvent.objects.get(object_type="contacts.contact", action=Action.CHANGED)
    assert (event.actor, event.object_id, event.detail) == (recruiter, sam.pk, "cadence set")


def test_it_shows_the_new_cadence_on_the_contacts_page(as_recruiter, sam):
    response = as_recruiter.post(_url(sam), {"ideal_days": "30", "max_days": "60"}, follow=True)

    html = response.content.decode()
    assert "Stay-in-touch cadence saved." in html
    assert "Ideally every 30 days, at most every 60." in html


def test_it_accepts_equal_gaps_and_the_limits(as_recruiter, sam):
    as_recruiter.post(_url(sam), {"ideal_days": "1", "max_days": "1"})
    assert _gaps(sam) == [(1, 1)]

    as_recruiter.post(_url(sam), {"ideal_days": "730", "max_days": "1095"})
    assert _gaps(sam) == [(730, 1095)]


def test_it_changes_the_cadence_in_place(as_recruiter, recruiter, sam):
    Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=30, max_days=45)

    as_recruiter.post(_url(sam), {"ideal_days": "60", "max_days": "120"})

    assert _gaps(sam) == [(60, 120)]
    assert Cadence.objects.count() == 1


def test_clearing_both_goes_back_to_the_default(as_recruiter, recruiter, sam):
    Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=30, max_days=45)

    response = as_recruiter.post(_url(sam), {"ideal_days": "", "max_days": ""}, follow=True)

    assert _gaps(sam) == []
    assert "Ideally every 90 days, at most every 180." in response.content.decode()


def test_clearing_both_goes_back_to_the_kinds_cadence(as_recruiter, recruiter, sam):
    Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=30, max_days=45)
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=50, max_days=70)

    response = as_recruiter.post(_url(sam), {"ideal_days": "", "max_days": ""}, follow=True)

    assert _gaps(sam) == []
    assert "Ideally every 50 days, at most every 70." in response.content.decode()


def test_clearing_a_contact_on_the_default_changes_nothing(as_recruiter, sam):
    response = as_recruiter.post(_url(sam), {"ideal_days": "", "max_days": ""})

    assert response.status_code == 302
    assert not Cadence.objects.exists()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"ideal_days": "30", "max_days": ""}, "__all__", BOTH_OR_NEITHER),
        ({"ideal_days": "", "max_days": "60"}, "__all__", BOTH_OR_NEITHER),
        (
            {"ideal_days": "60", "max_days": "30"},
            "max_days",
            "The maximum gap cannot be shorter than the ideal one.",
        ),
        ({"ideal_days": "0", "max_days": "30"}, "ideal_days", "greater than or equal to 1"),
        ({"ideal_days": "731", "max_days": "800"}, "ideal_days", "less than or equal to 730"),
        ({"ideal_days": "30", "max_days": "1096"}, "max_days", "less than or equal to 1095"),
        ({"ideal_days": "-5", "max_days": "30"}, "ideal_days", "greater than or equal to 1"),
        ({"ideal_days": "thirty", "max_days": "60"}, "ideal_days", "Enter a whole number."),
    ],
)
def test_it_refuses_bad_gaps_and_keeps_the_cadence(
    as_recruiter, recruiter, sam, data, field, message
):
    Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=20, max_days=25)

    response = as_recruiter.post(_url(sam), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert "Nothing was saved." in response.content.decode()
    assert _gaps(sam) == [(20, 25)]
    assert not AuditEvent.objects.filter(detail="cadence set").exists()


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_contact_from_anyone_outside_its_scope(request, sam, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(_url(sam)).status_code == hidden_from(role)
    assert client.post(
        _url(sam), {"ideal_days": "30", "max_days": "60"}
    ).status_code == hidden_from(role)
    assert not Cadence.objects.exists()


@pytest.mark.parametrize("role", ["manager", "dpo"])
def test_it_forbids_those_who_may_only_read_the_contact(request, recruiter, sam, role):
    Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=20, max_days=25)
    client = client_for(request.getfixturevalue(role))

    assert client.get(_url(sam)).status_code == 403
    assert client.post(_url(sam), {"ideal_days": "", "max_days": ""}).status_code == 403
    assert _gaps(sam) == [(20, 25)]


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, sam):
    response = client.post(_url(sam), {"ideal_days": "30", "max_days": "60"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={_url(sam)}"
    assert not Cadence.objects.exists()


def test_it_shows_the_cadence_of_a_contact_never_reviewed(as_recruiter, recruiter):
    fresh = ContactFactory(owner=recruiter, kind=Kind.CLIENT)

    response = as_recruiter.post(_url(fresh), {"ideal_days": "30", "max_days": "60"}, follow=True)

    html = response.content.decode()
    assert "Discontinued at the last review" not in html
    assert "Ideally every 30 days, at most every 60." in html
