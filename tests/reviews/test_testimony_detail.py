"""GET /testimonies/<pk>/: one signed testimony, its signature and checksum (and
whether it still matches), the activities it covers and the criteria it evidences;
and linking it to criteria at /evidence/testimony/<pk>/."""

import pytest
from django.db import models
from django.urls import reverse

from contacts.models import Kind
from reviews import services
from reviews.models import Criterion, EvidenceLink, Testimony, WitnessRelationship
from tests.conftest import client_for, hidden_from
from tests.factories import ActivityFactory, ContactFactory

STATEMENT = "Priya introduced me to two engineers we hired; she followed up within a day."


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor", kind=Kind.CLIENT)


@pytest.fixture
def breakfast(recruiter, sam):
    return ActivityFactory(owner=recruiter, contacts=[sam], summary="Fintech breakfast intro.")


@pytest.fixture
def testimony(recruiter, sam, breakfast) -> Testimony:
    """Sam's, through a link."""
    _, token = services.testimony_request_create(
        contact=sam, by=recruiter, activities=[breakfast], message=""
    )
    return services.testimony_submit(
        token=token,
        witness_name="Sam Okafor",
        witness_role="Head of Data, Northwind Analytics",
        relationship=WitnessRelationship.CLIENT,
        text=STATEMENT,
    )


def _url(testimony: Testimony) -> str:
    return reverse("reviews:testimony_detail", args=[testimony.pk])


def _evidence_url(testimony: Testimony) -> str:
    return reverse("reviews:evidence_edit", args=["testimony", testimony.pk])


def tamper(testimony: Testimony, **changes) -> None:
    models.QuerySet.update(Testimony.objects.filter(pk=testimony.pk), **changes)


# The page


def test_it_shows_the_statement_and_the_signature(as_recruiter, testimony, breakfast):
    response = as_recruiter.get(_url(testimony))

    assert response.status_code == 200
    html = response.content.decode()
    assert STATEMENT in html
    assert "Sam Okafor" in html
    assert "Head of Data, Northwind Analytics" in html
    assert "A client" in html
    assert f"{testimony.signed_on.day} {testimony.signed_on:%b %Y}" in html
    assert list(response.context["activities"]) == [breakfast]


def test_an_untouched_testimony_shows_its_checksum_unaltered(as_recruiter, testimony):
    html = as_recruiter.get(_url(testimony)).content.decode()

    assert f'<code class="text-break">{testimony.checksum}</code>' in html
    assert "unaltered since signing" in html
    assert "altered after signing" not in html


@pytest.mark.parametrize(
    "changes",
    [
        {"text": STATEMENT.replace("two", "twenty")},
        {"witness_name": "Sir Sam Okafor"},
        {"witness_role": "CEO, Northwind Analytics"},
    ],
    ids=["text", "witness_name", "witness_role"],
)
def test_a_tampered_testimony_shows_it_was_altered(as_recruiter, testimony, changes):
    tamper(testimony, **changes)

    html = as_recruiter.get(_url(testimony)).content.decode()

    assert "altered after signing" in html
    assert "unaltered since signing" not in html


def test_an_activity_added_afterwards_shows_it_was_altered(as_recruiter, recruiter, testimony):
    testimony.activities.add(ActivityFactory(owner=recruiter))
    html = as_recruiter.get(_url(testimony)).content.decode()
    assert "altered after signing" in html
    assert "unaltered since signing" not in html


def test_it_offers_the_recruiter_to_link_it_to_criteria(as_recruiter, testimony):
    html = as_recruiter.get(_url(testimony)).content.decode()
    assert f'href="{_evidence_url(testimony)}"' in html


def test_it_shows_the_criteria_it_evidences(as_recruiter, recruiter, testimony):
    criterion = Criterion.objects.first()
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion, testimony=testimony)

    response = as_recruiter.get(_url(testimony))

    assert list(response.context["criteria"]) == [criterion]
    assert str(criterion) in response.content.decode()


# Who may see it


@pytest.mark.parametrize("who", ["manager", "dpo"])
def test_those_who_may_read_it_see_it_without_the_link_to_criteria(request, testimony, who):
    response = client_for(request.getfixturevalue(who)).get(_url(testimony))

    assert response.status_code == 200
    assert response.context["editable"] is False
    assert _evidence_url(testimony) not in response.content.decode()


@pytest.mark.parametrize("who", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_testimony_from_everyone_else(request, testimony, who):
    assert client_for(request.getfixturevalue(who)).get(_url(testimony)).status_code == hidden_from(
        who
    )


def test_it_answers_404_for_an_unknown_testimony(as_recruiter):
    url = reverse("reviews:testimony_detail", args=[999999])
    assert as_recruiter.get(url).status_code == 404


def test_a_manager_sees_only_the_activities_they_may_read(as_manager, recruiter, testimony):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    private = ActivityFactory(owner=recruiter, contacts=[friend], summary="Privatemark dinner.")
    testimony.activities.add(private)

    response = as_manager.get(_url(testimony))

    assert private not in response.context["activities"]
    assert "Privatemark" not in response.content.decode()


# Linking it to criteria


def test_the_recruiter_links_it_to_criteria(as_recruiter, recruiter, testimony):
    first, second = Criterion.objects.all()[:2]
    assert as_recruiter.get(_evidence_url(testimony)).status_code == 200

    response = as_recruiter.post(_evidence_url(testimony), {"criteria": [first.pk, second.pk]})

    assert response.status_code == 302
    assert response["Location"] == _url(testimony)
    links = EvidenceLink.objects.filter(testimony=testimony)
    assert {link.criterion for link in links} == {first, second}
    assert {(link.owner, link.kind) for link in links} == {(recruiter, "testimony")}
    assert Testimony.objects.get(pk=testimony.pk).is_intact  # linking is not altering


def test_linking_an_unknown_criterion_links_nothing(as_recruiter, testimony):
    response = as_recruiter.post(_evidence_url(testimony), {"criteria": [999999]})
    assert response.status_code == 200
    assert "criteria" in response.context["form"].errors
    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize("who", ["manager", "dpo"])
def test_readers_cannot_link_it_to_criteria(request, testimony, who):
    client = client_for(request.getfixturevalue(who))
    criterion = Criterion.objects.first()

    assert client.get(_evidence_url(testimony)).status_code == 403
    assert client.post(_evidence_url(testimony), {"criteria": [criterion.pk]}).status_code == 403
    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize("who", ["teammate", "outsider", "other_manager"])
def test_others_cannot_link_it_to_criteria(request, testimony, who):
    client = client_for(request.getfixturevalue(who))
    criterion = Criterion.objects.first()

    assert client.post(_evidence_url(testimony), {"criteria": [criterion.pk]}).status_code == 404
    assert not EvidenceLink.objects.exists()
