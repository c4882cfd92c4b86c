"""Activities and outcomes kept as evidence after an erasure show a neutral
placeholder where the person was, on every page that lists who took part."""

import pytest
from django.urls import reverse

from privacy import services
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    OutcomeFactory,
    approved,
)

PLACEHOLDER = "a person whose data was erased"


@pytest.fixture
def erased(recruiter):
    """Ada (erased) met Ben; Ada alone placed; returns Ben and the kept rows."""
    ada = ContactFactory(owner=recruiter, first_name="Ada", last_name="Quillon")
    ben = ContactFactory(owner=recruiter, first_name="Ben", last_name="Other")
    shared = ActivityFactory(owner=recruiter, contacts=[ada, ben], summary="Met both.")
    alone = ActivityFactory(owner=recruiter, contacts=[ada], summary="Call with Ada.")
    outcome = OutcomeFactory(owner=recruiter, contacts=[ada])
    services.erasure_carry_out(request_id=approved(DataRequestFactory(contacts=[ada])).pk)
    return {"ben": ben, "shared": shared, "alone": alone, "outcome": outcome}


def test_the_activity_list_shows_the_placeholder_beside_the_others(as_recruiter, erased):
    html = as_recruiter.get(reverse("contacts:activity_list")).content.decode()

    assert f'Ben Other</a>, <span class="text-body-secondary fst-italic">{PLACEHOLDER}' in html
    assert html.count(PLACEHOLDER) == 2
    assert "no contact" not in html
    assert "Quillon" not in html


def test_the_activity_page_shows_the_placeholder(as_recruiter, erased):
    html = as_recruiter.get(erased["alone"].get_absolute_url()).content.decode()

    assert PLACEHOLDER in html
    assert "no contact" not in html


def test_the_outcome_list_shows_the_placeholder(as_recruiter, erased):
    html = as_recruiter.get(reverse("contacts:outcome_list")).content.decode()

    assert PLACEHOLDER in html
    assert "Quillon" not in html


def test_an_activity_that_never_had_anyone_erased_shows_no_placeholder(as_recruiter, recruiter):
    ActivityFactory(owner=recruiter, contacts=[ContactFactory(owner=recruiter)])

    assert PLACEHOLDER not in as_recruiter.get(reverse("contacts:activity_list")).content.decode()
