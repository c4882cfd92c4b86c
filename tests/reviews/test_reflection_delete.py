"""POST /reflections/<pk>/delete/: delete a reflection, with the guard's justification
for its text and its links to criteria."""

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact, Kind
from privacy.models import Action, AuditEvent, SensitiveConfirmation
from reviews.models import Criterion, EvidenceLink, Reflection
from tests.conftest import client_for, hidden_from
from tests.factories import ContactFactory

LIST_URL = reverse("reviews:reflection_list")


def reflection(owner, title: str = "The fintech breakfast", **fields) -> Reflection:
    made = Reflection.objects.create(
        owner=owner, title=title, written_on=timezone.localdate(), text="She is pregnant."
    )
    made.contacts.set([ContactFactory(owner=owner, kind=Kind.CLIENT)])
    SensitiveConfirmation.objects.create(
        object_type="reviews.reflection",
        object_id=made.pk,
        categories=["pregnancy"],
        justification="She asked us to plan around her leave.",
        recorded_by=owner,
    )
    return made


@pytest.fixture
def doomed(recruiter):
    return reflection(recruiter)


def _url(reflection: Reflection) -> str:
    return reverse("reviews:reflection_delete", args=[reflection.pk])


def _exists(reflection: Reflection) -> bool:
    return Reflection.objects.filter(pk=reflection.pk).exists()


def test_it_deletes_the_reflection(as_recruiter, doomed):
    response = as_recruiter.post(_url(doomed))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert not _exists(doomed)
    assert Contact.objects.count() == 1  # the contact it was linked to stays


def test_it_confirms_the_deletion(as_recruiter, doomed):
    response = as_recruiter.post(_url(doomed), follow=True)

    html = response.content.decode()
    assert "Reflection deleted." in html
    assert "The fintech breakfast" not in html


def test_it_records_an_audit_event(as_recruiter, recruiter, doomed):
    as_recruiter.post(_url(doomed))

    event = AuditEvent.objects.get(object_type="reviews.reflection")
    assert (event.actor, event.action, event.object_id) == (recruiter, Action.DELETED, doomed.pk)


def test_it_deletes_the_justification_for_its_text_and_no_other(as_recruiter, recruiter, doomed):
    other = reflection(recruiter, title="Another")

    as_recruiter.post(_url(doomed))

    assert list(SensitiveConfirmation.objects.values_list("object_id", flat=True)) == [other.pk]


def test_it_deletes_its_links_to_criteria(as_recruiter, recruiter, doomed):
    criterion = Criterion.objects.first()
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion, reflection=doomed)

    as_recruiter.post(_url(doomed))

    assert not EvidenceLink.objects.exists()
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_it_rejects_get(as_recruiter, doomed):
    response = as_recruiter.get(_url(doomed))

    assert response.status_code == 405
    assert _exists(doomed)


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_reflection_from_anyone_outside_its_scope(request, doomed, role):
    client = client_for(request.getfixturevalue(role))

    assert client.post(_url(doomed)).status_code == hidden_from(role)
    assert _exists(doomed)
    assert SensitiveConfirmation.objects.count() == 1


@pytest.mark.parametrize("role", ["manager", "dpo"])
def test_it_forbids_those_who_may_only_read_it(request, doomed, role):
    client = client_for(request.getfixturevalue(role))

    assert client.post(_url(doomed)).status_code == 403
    assert _exists(doomed)
    assert SensitiveConfirmation.objects.count() == 1
    assert not AuditEvent.objects.filter(action=Action.DELETED).exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, doomed):
    response = client.post(_url(doomed))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _exists(doomed)
