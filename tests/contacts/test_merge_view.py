"""GET /contacts/<pk>/merge/<other_pk>/ compares two records of one person; POST merges
the second into the first."""

import pytest
from django.utils import timezone

from consent.models import ConsentRecord
from consent.services import consent_record
from contacts.models import Activity, Contact, Kind
from privacy.models import Action, AuditEvent
from reviews.models import Decision, Review
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory


def url(keep, other) -> str:
    return f"/contacts/{keep.pk}/merge/{other.pk}/"


@pytest.fixture
def keep(recruiter):
    return ContactFactory(
        owner=recruiter,
        first_name="Olivia",
        last_name="Bennett",
        organisation="Northwind",
        email="",
        phone="",
        role="Head of Data",
    )


@pytest.fixture
def other(recruiter):
    return ContactFactory(
        owner=recruiter,
        first_name="Liv",
        last_name="Bennett",
        organisation="Northwind",
        email="olivia@northwind.example",
        phone="+44 20 7946 0958",
        role="CTO",
    )


@pytest.fixture
def linked(recruiter, keep, other):
    """Three activities (one already with both), two consent records, one review."""
    ActivityFactory(owner=recruiter, contacts=[keep, other])
    for _ in range(3):
        ActivityFactory(owner=recruiter, contacts=[other])
    for _ in range(2):
        consent_record(
            contact=other,
            on=timezone.localdate(),
            method="form",
            purposes=["roles"],
            notice=None,
            by=recruiter,
        )
    Review.objects.create(
        owner=recruiter,
        contact=other,
        value=3,
        activity=3,
        potential=3,
        rationale="Steady.",
        decision=Decision.MAINTAIN,
    )


def snapshot(*contacts) -> list:
    """What a merge would change: the rows, and what points at them."""
    rows = []
    for contact in contacts:
        rows.append(Contact.objects.filter(pk=contact.pk).values().first())
        rows.append(sorted(Activity.objects.filter(contacts=contact).values_list("pk", flat=True)))
        rows.append(ConsentRecord.objects.filter(contact=contact).count())
        rows.append(Review.objects.filter(contact=contact).count())
    return rows


# GET: the comparison


def test_it_compares_the_two_field_by_field(as_recruiter, keep, other, linked):
    response = as_recruiter.get(url(keep, other))
    assert response.status_code == 200
    rows = {row.label: row for row in response.context["preview"].fields}
    assert (rows["Email"].result, rows["Email"].state) == ("olivia@northwind.example", "filled")
    assert (rows["Job title"].result, rows["Job title"].state) == ("Head of Data", "dropped")
    assert (rows["First name"].result, rows["First name"].state) == ("Olivia", "dropped")
    assert (rows["Organisation"].result, rows["Organisation"].state) == ("Northwind", "kept")
    html = response.content.decode()
    assert "filled in" in html and "not kept" in html
    assert "olivia@northwind.example" in html


def test_it_says_what_moves(as_recruiter, keep, other, linked):
    response = as_recruiter.get(url(keep, other))
    assert response.context["preview"].moves == [
        ("activities", 3),
        ("lawful basis record", 1),
        ("consent records", 2),
        ("review", 1),
    ]
    html = response.content.decode()
    assert "3 activities" in html and "2 consent records" in html and "1 review" in html


def test_it_offers_the_merge_and_the_swap(as_recruiter, keep, other):
    html = as_recruiter.get(url(keep, other)).content.decode()
    assert 'method="post"' in html
    assert "Merge into this contact" in html
    assert f'href="{url(other, keep)}"' in html
    assert "Keep the other record instead" in html


def test_it_warns_when_a_personal_record_would_become_professional(as_recruiter, recruiter, keep):
    private = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    assert "your manager can read" in as_recruiter.get(url(keep, private)).content.decode()
    assert "leave your professional" in as_recruiter.get(url(private, keep)).content.decode()
    html = as_recruiter.get(url(keep, ContactFactory(owner=recruiter))).content.decode()
    assert "your manager can read" not in html and "leave your professional" not in html


def test_get_changes_nothing(as_recruiter, keep, other, linked):
    before = snapshot(keep, other)
    assert as_recruiter.get(url(keep, other)).status_code == 200
    assert snapshot(keep, other) == before


def test_get_records_that_both_were_viewed_and_names_no_one(as_recruiter, keep, other):
    as_recruiter.get(url(keep, other))
    events = AuditEvent.objects.filter(action=Action.VIEWED, object_type="contacts.contact")
    assert sorted(events.values_list("object_id", flat=True)) == sorted([keep.pk, other.pk])
    assert {e.detail for e in events} == {"merge preview"}


# POST: the merge


def test_post_merges_and_goes_to_the_kept_contact(as_recruiter, keep, other, linked):
    response = as_recruiter.post(url(keep, other))
    assert response.status_code == 302
    assert response.url == f"/contacts/{keep.pk}/"
    assert not Contact.objects.filter(pk=other.pk).exists()
    keep.refresh_from_db()
    assert keep.email == "olivia@northwind.example"
    assert keep.activities.count() == 4
    assert keep.consent_history.count() == 2
    assert keep.reviews.count() == 1


def test_the_message_counts_what_moved_and_names_no_one(as_recruiter, keep, other, linked):
    response = as_recruiter.post(url(keep, other), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Contacts merged: 3 activities, 1 lawful basis record, 2 consent records "
        "and 1 review moved."
    ]
    for name in ("Olivia", "Liv", "Bennett", "northwind"):
        assert name.lower() not in messages[0].lower()


def test_post_the_other_way_round_keeps_the_other(as_recruiter, keep, other):
    as_recruiter.post(url(other, keep))
    assert not Contact.objects.filter(pk=keep.pk).exists()
    assert Contact.objects.get(pk=other.pk).role == "CTO"


def test_a_second_post_finds_nothing_to_merge(as_recruiter, keep, other):
    as_recruiter.post(url(keep, other))
    assert as_recruiter.post(url(keep, other)).status_code == 404
    assert Contact.objects.filter(pk=keep.pk).exists()


# Who may, and how


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_it_answers_only_get_and_post(as_recruiter, keep, other, method):
    assert getattr(as_recruiter, method)(url(keep, other)).status_code == 405
    assert Contact.objects.filter(pk=other.pk).exists()


def test_merging_a_contact_with_itself_is_404(as_recruiter, keep):
    assert as_recruiter.get(url(keep, keep)).status_code == 404
    assert as_recruiter.post(url(keep, keep)).status_code == 404
    assert Contact.objects.filter(pk=keep.pk).exists()


@pytest.mark.parametrize("whose", ["outsider", "teammate"])
def test_another_recruiters_contact_is_404_on_either_side(
    request, as_recruiter, keep, other, whose
):
    theirs = ContactFactory(owner=request.getfixturevalue(whose))
    before = snapshot(keep, theirs)
    for pair in ((keep, theirs), (theirs, keep)):
        assert as_recruiter.get(url(*pair)).status_code == 404
        assert as_recruiter.post(url(*pair)).status_code == 404
    assert snapshot(keep, theirs) == before


def test_the_owner_of_both_is_the_only_one_who_gets_through(as_outsider, keep, other):
    assert as_outsider.get(url(keep, other)).status_code == 404
    assert as_outsider.post(url(keep, other)).status_code == 404
    assert Contact.objects.filter(pk=other.pk).exists()


def test_an_unknown_id_is_404(as_recruiter, keep):
    assert as_recruiter.get(f"/contacts/{keep.pk}/merge/999999/").status_code == 404


@pytest.mark.parametrize("role", ["manager", "dpo", "assessor"])
def test_other_roles_get_403_and_change_nothing(request, keep, other, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(url(keep, other)).status_code == 403
    assert client.post(url(keep, other)).status_code == 403
    assert Contact.objects.filter(pk=other.pk).exists()
