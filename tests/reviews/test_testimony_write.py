"""GET and POST /testimonies/new/?recruiter=<pk>: a manager chooses a recruiter in
their team, then writes and signs a testimony about that recruiter's activities."""

import pytest
from django.urls import reverse

from contacts.models import Kind
from privacy.models import Action, AuditEvent, SensitiveConfirmation
from reviews.models import Testimony, WitnessRelationship
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

URL = reverse("reviews:testimony_write")
STATEMENT = "I watched Priya run the fintech breakfast; three hires came from it."


@pytest.fixture
def grace(manager):
    manager.first_name, manager.last_name = "Grace", "Hopper"
    manager.save()
    return manager


@pytest.fixture
def breakfast(recruiter):
    return ActivityFactory(owner=recruiter, summary="Ran the fintech breakfast.")


def _url(recruiter) -> str:
    return f"{URL}?recruiter={recruiter.pk}"


def _valid(*activities, **overrides) -> dict:
    data = {
        "activities": [a.pk for a in activities],
        "witness_role": "Team manager, Tech Permanent",
        "text": STATEMENT,
        "confirm": "on",
    }
    return {**data, **overrides}


def _template(response) -> str:
    return response.templates[0].name


# Choosing whom it is about


def test_it_lists_the_team_to_choose_from(as_manager, recruiter, teammate, outsider):
    response = as_manager.get(URL)

    assert response.status_code == 200
    assert _template(response) == "reviews/testimony_choose.html"
    assert set(response.context["team"]) == {recruiter, teammate}
    assert f"?recruiter={outsider.pk}" not in response.content.decode()


@pytest.mark.parametrize("chosen", ["outsider", "manager", "dpo"])
def test_it_shows_the_choice_again_for_someone_outside_the_team(request, as_manager, chosen):
    response = as_manager.get(_url(request.getfixturevalue(chosen)))

    assert response.status_code == 200
    assert _template(response) == "reviews/testimony_choose.html"


@pytest.mark.parametrize("recruiter_param", ["", "abc", "-1", "999999", "1.5"])
def test_it_shows_the_choice_for_a_missing_or_malformed_recruiter(as_manager, recruiter_param):
    response = as_manager.get(URL, {"recruiter": recruiter_param})
    assert _template(response) == "reviews/testimony_choose.html"


# The form


def test_it_offers_that_recruiters_activities_only(as_manager, recruiter, teammate, breakfast):
    ActivityFactory(owner=teammate, summary="Teammate's coffee.")

    response = as_manager.get(_url(recruiter))

    assert _template(response) == "reviews/testimony_write.html"
    offered = response.context["form"].fields["activities"].widget.choices
    assert [pk for pk, _ in offered] == [breakfast.pk]
    assert "Teammate&#x27;s coffee" not in response.content.decode()


def test_it_does_not_offer_the_recruiters_personal_activities(as_manager, recruiter, breakfast):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    private = ActivityFactory(owner=recruiter, contacts=[friend], summary="Privatemark dinner.")

    response = as_manager.get(_url(recruiter))
    posted = as_manager.post(_url(recruiter), _valid(private))

    assert "Privatemark" not in response.content.decode()
    assert "activities" in posted.context["form"].errors
    assert not Testimony.objects.filter(activities=private).exists()


# Signing


def test_a_manager_signs_a_testimony_for_a_team_member(as_manager, grace, recruiter, breakfast):
    response = as_manager.post(_url(recruiter), _valid(breakfast))

    testimony = Testimony.objects.get()
    assert response.status_code == 302
    assert response["Location"] == testimony.get_absolute_url()
    assert (testimony.owner, testimony.author, testimony.request) == (recruiter, grace, None)
    assert testimony.witness_name == "Grace Hopper"
    assert testimony.witness_role == "Team manager, Tech Permanent"
    assert testimony.relationship == WitnessRelationship.MANAGER
    assert testimony.text == STATEMENT
    assert list(testimony.activities.all()) == [breakfast]
    assert testimony.is_intact


def test_it_records_an_audit_event(as_manager, manager, recruiter, breakfast):
    as_manager.post(_url(recruiter), _valid(breakfast))
    event = AuditEvent.objects.get(object_type="reviews.testimony")
    assert (event.actor, event.action, event.object_id) == (
        manager,
        Action.CREATED,
        Testimony.objects.get().pk,
    )


def test_it_signs_with_no_activities_named(as_manager, recruiter):
    as_manager.post(_url(recruiter), _valid())
    assert list(Testimony.objects.get().activities.all()) == []


def test_the_signer_cannot_choose_their_name_or_relationship(as_manager, grace, recruiter):
    as_manager.post(
        _url(recruiter),
        _valid(witness_name="Someone Important", relationship=WitnessRelationship.CLIENT),
    )
    testimony = Testimony.objects.get()
    assert (testimony.witness_name, testimony.relationship) == ("Grace Hopper", "manager")


# Bad input


def test_it_refuses_to_sign_for_someone_outside_the_team(as_manager, outsider):
    theirs = ActivityFactory(owner=outsider)

    response = as_manager.post(_url(outsider), _valid(theirs))

    assert response.status_code == 200
    assert _template(response) == "reviews/testimony_choose.html"
    assert not Testimony.objects.exists()


def test_it_refuses_another_recruiters_activity(as_manager, recruiter, teammate, breakfast):
    theirs = ActivityFactory(owner=teammate)

    response = as_manager.post(_url(recruiter), _valid(breakfast, theirs))

    assert response.status_code == 200
    assert "activities" in response.context["form"].errors
    assert not Testimony.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"confirm": ""}, "confirm"),
        ({"text": "Good at networking."}, "text"),
        ({"text": ""}, "text"),
        ({"witness_role": ""}, "witness_role"),
    ],
    ids=["no-confirm", "short", "no-statement", "no-role"],
)
def test_bad_input_saves_nothing(as_manager, recruiter, breakfast, overrides, field):
    data = {k: v for k, v in _valid(breakfast, **overrides).items() if v != ""}

    response = as_manager.post(_url(recruiter), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Testimony.objects.exists()
    assert not AuditEvent.objects.filter(object_type="reviews.testimony").exists()


# Who may write


@pytest.mark.parametrize("who", ["recruiter", "teammate", "outsider", "dpo", "assessor"])
def test_only_a_manager_may_write_one(request, recruiter, breakfast, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(_url(recruiter)).status_code == 403
    assert client.post(_url(recruiter), _valid(breakfast)).status_code == 403
    assert not Testimony.objects.exists()


def test_another_teams_manager_cannot_write_for_the_recruiter(other_manager, recruiter, breakfast):
    client = client_for(other_manager)

    response = client.post(_url(recruiter), _valid(breakfast))

    assert _template(response) == "reviews/testimony_choose.html"
    assert recruiter not in response.context["team"]
    assert not Testimony.objects.exists()


def test_the_guard_checks_a_managers_statement(as_manager, recruiter, breakfast):

    flagged = {**_valid(breakfast), "text": STATEMENT + " She is pregnant."}

    refused = as_manager.post(_url(recruiter), flagged)
    kept = as_manager.post(
        _url(recruiter),
        {**flagged, "sensitive_confirmed": "on", "sensitive_justification": "She asked."},
    )

    assert refused.status_code == 200 and "sensitive-findings" in refused.content.decode()
    assert kept.status_code == 302
    confirmation = SensitiveConfirmation.objects.get()
    assert confirmation.object_type == "reviews.testimony"
    assert confirmation.justification == "She asked."
