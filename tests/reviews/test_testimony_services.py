"""The testimony services (reviews.services): a request's single-use link
(testimony_request_create, testimony_request_open), an external witness signing
through it (testimony_submit), a manager writing one (testimony_write); and the
testimony's own rules: append-only, and a checksum that shows tampering."""

import datetime
import hashlib
import hmac

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from contacts.models import Kind
from netlog.history import HistoryIsAppendOnly
from privacy.models import Action, AuditEvent
from reviews import services
from reviews.models import TESTIMONY_LINK_DAYS, Testimony, WitnessRelationship
from reviews.models import TestimonyRequest as LinkRequest  # not "Test*": pytest collects those
from tests.factories import ActivityFactory, ContactFactory

NOW = datetime.datetime(2025, 3, 14, 10, 0, tzinfo=datetime.UTC)
STATEMENT = "Priya introduced me to two engineers we hired; she followed up within a day."
SIGNED = {
    "witness_name": "Sam Okafor",
    "witness_role": "Head of Data, Northwind Analytics",
    "relationship": WitnessRelationship.CLIENT,
    "text": STATEMENT,
}


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor", kind=Kind.CLIENT)


@pytest.fixture
def breakfast(recruiter, sam):
    return ActivityFactory(owner=recruiter, contacts=[sam], summary="Fintech breakfast intro.")


@pytest.fixture
def link(recruiter, sam, breakfast) -> tuple[LinkRequest, str]:
    return services.testimony_request_create(
        contact=sam, by=recruiter, activities=[breakfast], message="The fintech breakfast."
    )


def at(monkeypatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(services.timezone, "now", lambda: moment)


def _rival_claims_first(monkeypatch) -> None:
    """Another submission of the same link claims it between this one's open and its
    claim (in real life in its own transaction, which then saves its testimony)."""
    real_open = services.testimony_request_open

    def open_then_lose_the_race(token: str) -> LinkRequest:
        found = real_open(token)
        LinkRequest.objects.filter(pk=found.pk).update(used_at=timezone.now())
        return found

    monkeypatch.setattr(services, "testimony_request_open", open_then_lose_the_race)


def external(link) -> Testimony:
    return services.testimony_submit(token=link[1], **SIGNED)


# testimony_request_create


def test_it_makes_a_link_that_expires_after_seven_days(monkeypatch, recruiter, sam, breakfast):
    at(monkeypatch, NOW)
    request, token = services.testimony_request_create(
        contact=sam, by=recruiter, activities=[breakfast], message="The breakfast."
    )

    request.refresh_from_db()
    assert (request.owner, request.contact, request.message) == (recruiter, sam, "The breakfast.")
    assert list(request.activities.all()) == [breakfast]
    assert request.expires_at == NOW + datetime.timedelta(days=TESTIMONY_LINK_DAYS)
    assert request.used_at is None
    assert len(token) >= 40  # 32 random bytes, URL-safe


def test_it_stores_only_the_tokens_sha256(link):
    request, token = link
    assert request.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = LinkRequest.objects.filter(pk=request.pk).values().get()
    assert not [name for name, value in row.items() if token in str(value)]


def test_it_makes_a_different_token_each_time(recruiter, sam):
    first = services.testimony_request_create(contact=sam, by=recruiter, activities=[], message="")
    second = services.testimony_request_create(contact=sam, by=recruiter, activities=[], message="")
    assert first[1] != second[1]
    assert first[0].token_hash != second[0].token_hash


def test_it_records_an_audit_event_for_the_request(recruiter, link):
    event = AuditEvent.objects.get(object_type="reviews.testimonyrequest")
    assert (event.actor, event.action, event.object_id) == (recruiter, Action.CREATED, link[0].pk)
    assert link[1] not in event.detail


# testimony_request_open


def test_it_opens_a_valid_link(link):
    request, token = link
    assert services.testimony_request_open(token) == request


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_it_refuses_an_unknown_or_empty_token(link, token):
    with pytest.raises(services.LinkInvalid):
        services.testimony_request_open(token)


def test_it_refuses_the_stored_hash_used_as_a_token(link):
    with pytest.raises(services.LinkInvalid):
        services.testimony_request_open(link[0].token_hash)


def test_it_refuses_a_used_link(link):
    external(link)
    with pytest.raises(services.LinkInvalid):
        services.testimony_request_open(link[1])


def test_it_refuses_a_link_past_its_expiry(link):
    request, token = link
    LinkRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(services.LinkInvalid):
        services.testimony_request_open(token)


def test_it_refuses_a_link_exactly_at_its_expiry(monkeypatch, link):
    request, token = link
    at(monkeypatch, request.expires_at)
    with pytest.raises(services.LinkInvalid):
        services.testimony_request_open(token)


def test_it_opens_a_link_a_moment_before_its_expiry(monkeypatch, link):
    request, token = link
    at(monkeypatch, request.expires_at - datetime.timedelta(microseconds=1))
    assert services.testimony_request_open(token) == request


# testimony_submit


def test_it_signs_the_witness_testimony_and_uses_up_the_link(monkeypatch, recruiter, link):
    request, token = link
    at(monkeypatch, NOW)
    testimony = external(link)

    testimony = Testimony.objects.get(pk=testimony.pk)
    assert (testimony.owner, testimony.author, testimony.request) == (recruiter, None, request)
    assert testimony.witness_name == "Sam Okafor"
    assert testimony.witness_role == "Head of Data, Northwind Analytics"
    assert testimony.relationship == WitnessRelationship.CLIENT
    assert testimony.text == STATEMENT
    assert (testimony.submitted_at, testimony.signed_on) == (NOW, NOW.date())
    assert list(testimony.activities.all()) == list(request.activities.all())
    assert testimony.checksum == testimony.compute_checksum()
    assert testimony.is_intact
    request.refresh_from_db()
    assert request.used_at == NOW


def test_it_records_the_submission_without_an_actor(link):
    testimony = external(link)
    event = AuditEvent.objects.get(object_type="reviews.testimony")
    assert (event.actor, event.action, event.object_id) == (None, Action.CREATED, testimony.pk)
    assert event.detail == "external witness"


def test_it_works_once_and_never_again(link):
    external(link)
    with pytest.raises(services.LinkInvalid):
        external(link)
    assert Testimony.objects.count() == 1


def test_it_refuses_an_expired_link_and_saves_nothing(link):
    request, _ = link
    LinkRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now())
    with pytest.raises(services.LinkInvalid):
        external(link)
    assert not Testimony.objects.exists()


def test_the_submission_that_loses_a_race_saves_nothing(monkeypatch, link):
    _rival_claims_first(monkeypatch)

    with pytest.raises(services.LinkInvalid):
        external(link)

    assert not Testimony.objects.exists()  # only the rival's will be


# testimony_write


def test_a_manager_testifies_for_a_recruiter_in_their_team(manager, recruiter, breakfast):
    manager.first_name, manager.last_name = "Grace", "Hopper"
    manager.save()
    testimony = services.testimony_write(
        author=manager,
        owner=recruiter,
        activities=[breakfast],
        witness_role="Team manager",
        text=STATEMENT,
    )

    testimony = Testimony.objects.get(pk=testimony.pk)
    assert (testimony.owner, testimony.author, testimony.request) == (recruiter, manager, None)
    assert (testimony.witness_name, testimony.witness_role) == ("Grace Hopper", "Team manager")
    assert testimony.relationship == WitnessRelationship.MANAGER
    assert testimony.signed_on == timezone.localdate()
    assert list(testimony.activities.all()) == [breakfast]
    assert testimony.is_intact
    event = AuditEvent.objects.get(object_type="reviews.testimony")
    assert (event.actor, event.action, event.object_id) == (manager, Action.CREATED, testimony.pk)


def test_it_signs_with_the_username_when_the_manager_has_no_name(manager, recruiter):
    manager.first_name = manager.last_name = ""
    manager.save()
    testimony = services.testimony_write(
        author=manager, owner=recruiter, activities=[], witness_role="Manager", text=STATEMENT
    )
    assert testimony.witness_name == "manager"


def test_a_manager_cannot_testify_for_someone_outside_their_team(manager, outsider):
    with pytest.raises(PermissionDenied):
        services.testimony_write(
            author=manager, owner=outsider, activities=[], witness_role="Manager", text=STATEMENT
        )
    assert not Testimony.objects.exists()


def test_a_manager_cannot_include_another_recruiters_activity(manager, recruiter, teammate):
    theirs = ActivityFactory(owner=teammate)
    with pytest.raises(PermissionDenied):
        services.testimony_write(
            author=manager,
            owner=recruiter,
            activities=[theirs],
            witness_role="Manager",
            text=STATEMENT,
        )
    assert not Testimony.objects.exists()


@pytest.mark.parametrize("author", ["teammate", "dpo", "assessor", "other_manager"])
def test_no_one_else_writes_a_testimony_for_the_recruiter(request, recruiter, author):
    with pytest.raises(PermissionDenied):
        services.testimony_write(
            author=request.getfixturevalue(author),
            owner=recruiter,
            activities=[],
            witness_role="Colleague",
            text=STATEMENT,
        )
    assert not Testimony.objects.exists()


# The testimony itself: append-only, and its checksum


def raw_update(testimony: Testimony, **changes) -> None:
    """What someone with database access could do: the model refuses it."""
    models.QuerySet.update(Testimony.objects.filter(pk=testimony.pk), **changes)


def test_a_signed_testimony_cannot_be_saved_again(link):
    testimony = external(link)
    testimony.text = "Something else entirely, written after the signature."
    with pytest.raises(HistoryIsAppendOnly):
        testimony.save()
    with pytest.raises(HistoryIsAppendOnly):
        Testimony.objects.filter(pk=testimony.pk).update(text="Changed.")
    assert Testimony.objects.get(pk=testimony.pk).text == STATEMENT


def test_an_untouched_testimony_is_intact(link):
    testimony = external(link)
    assert Testimony.objects.get(pk=testimony.pk).is_intact


@pytest.mark.parametrize(
    "changes",
    [
        {"text": STATEMENT + " And she walks on water."},
        {"witness_name": "Someone Else"},
        {"witness_role": "CEO"},
        {"relationship": WitnessRelationship.COLLEAGUE},
        {"signed_on": datetime.date(2020, 1, 1)},
        {"submitted_at": NOW},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_a_tampered_testimony_fails_its_checksum(link, changes):
    testimony = external(link)
    raw_update(testimony, **changes)
    assert not Testimony.objects.get(pk=testimony.pk).is_intact


def test_changing_who_it_is_about_fails_the_checksum(link, teammate):
    testimony = external(link)
    raw_update(testimony, owner=teammate)
    assert not Testimony.objects.get(pk=testimony.pk).is_intact


def test_adding_or_removing_an_activity_fails_the_checksum(recruiter, link):
    testimony = external(link)
    testimony.activities.add(ActivityFactory(owner=recruiter))
    assert not Testimony.objects.get(pk=testimony.pk).is_intact

    testimony.activities.clear()
    assert not Testimony.objects.get(pk=testimony.pk).is_intact


def test_the_checksum_is_a_keyed_hmac_of_the_canonical_content(link, settings):
    testimony = Testimony.objects.get(pk=external(link).pk)
    ids = list(testimony.activities.values_list("pk", flat=True))
    key = (settings.EVIDENCE_KEY or settings.SECRET_KEY).encode()
    content = testimony.content(ids).encode()
    assert testimony.checksum == hmac.new(key, content, hashlib.sha256).hexdigest()
    assert testimony.checksum != hashlib.sha256(content).hexdigest()  # unkeyed is no proof
    assert testimony.content(list(reversed(ids))) == testimony.content(ids)
    assert STATEMENT in testimony.content(ids)


# The request's state


def test_a_request_is_open_then_expired_at_its_expiry(link):
    request = link[0]
    moment = datetime.timedelta(microseconds=1)
    assert request.state(request.expires_at - moment) == "open"
    assert request.state(request.expires_at) == "expired"


def test_an_answered_request_stays_answered_after_its_expiry(link):
    external(link)
    request = LinkRequest.objects.get(pk=link[0].pk)
    assert request.state(request.expires_at + datetime.timedelta(days=30)) == "answered"


def test_re_signing_without_the_key_is_detected(link, settings):
    """Someone who can write to the database, but does not hold EVIDENCE_KEY, edits the
    statement and recomputes a checksum with another key: it reads as altered."""
    testimony = Testimony.objects.get(pk=external(link).pk)
    settings.EVIDENCE_KEY = "the attacker's guess"
    forged = testimony.compute_checksum()
    settings.EVIDENCE_KEY = ""

    models.QuerySet.update(Testimony.objects.filter(pk=testimony.pk), checksum=forged)

    assert not Testimony.objects.get(pk=testimony.pk).is_intact
