"""GET and POST /testimony/: an external witness's page. No account, a single-use link
(/testimony/?t=<token>) that expires, the same answer for every bad link, and a rate
limit per client address. As with Django's password reset, opening the link moves its
token into the session and redirects to the bare page, so the token leaves the address
bar at once and the form does not carry it."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contacts.models import ActivityType, Kind
from reviews import services
from reviews.models import Testimony, WitnessRelationship
from reviews.models import TestimonyRequest as LinkRequest  # not "Test*": pytest collects those
from reviews.views import PUBLIC_HITS, TOKEN_SESSION_KEY
from tests.factories import ActivityFactory, ContactFactory

SUMMARY = "Summarymark: she asked me not to tell anyone about the merger."
STATEMENT = "Priya introduced me to two engineers we hired; she followed up within a day."
URL = reverse("reviews:testimony_public")


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor", kind=Kind.CLIENT)


@pytest.fixture
def breakfast(recruiter, sam):
    return ActivityFactory(
        owner=recruiter,
        contacts=[sam],
        date=datetime.date(2025, 2, 11),
        type=ActivityType.EVENT,
        context="Fintech breakfast, Shoreditch",
        summary=SUMMARY,
    )


@pytest.fixture
def link(recruiter, sam, breakfast) -> tuple[LinkRequest, str]:
    return services.testimony_request_create(
        contact=sam,
        by=recruiter,
        activities=[breakfast],
        message="How the introductions at the fintech breakfast worked out.",
    )


@pytest.fixture
def other_link(recruiter, sam) -> tuple[LinkRequest, str]:
    return services.testimony_request_create(
        contact=sam, by=recruiter, activities=[], message="A second request, sent later."
    )


def _url(token: str) -> str:
    return f"{URL}?t={token}"


def _open(client, token: str, **extra):
    """The witness clicks the link: the redirect, then the bare page."""
    return client.get(_url(token), follow=True, **extra)


def _valid(**overrides) -> dict:
    data = {
        "witness_name": "Sam Okafor",
        "witness_role": "Head of Data, Northwind Analytics",
        "relationship": WitnessRelationship.CLIENT,
        "text": STATEMENT,
        "confirm": "on",
    }
    return {**data, **overrides}


def _templates(response) -> list[str]:
    return [t.name for t in response.templates]


def _invalid_page(response) -> bool:
    return (
        response.status_code == 404
        and _templates(response)[0] == "reviews/public/testimony_invalid.html"
    )


def _thanks_page(response) -> bool:
    return response.status_code == 200 and "reviews/public/testimony_thanks.html" in _templates(
        response
    )


# Opening the link


def test_it_moves_the_token_out_of_the_address_with_a_redirect(client, link):
    response = client.get(_url(link[1]))

    assert response.status_code == 302
    assert response["Location"] == "/testimony/"
    assert client.session[TOKEN_SESSION_KEY] == link[1]


def test_the_page_it_lands_on_has_no_token_in_its_address(client, link):
    response = _open(client, link[1])

    assert response.redirect_chain == [("/testimony/", 302)]
    assert response.request["PATH_INFO"] == "/testimony/"
    assert "t=" not in response.request["QUERY_STRING"]
    assert response.status_code == 200


def test_opening_the_link_does_not_use_it_up(client, link):
    _open(client, link[1])

    assert LinkRequest.objects.get(pk=link[0].pk).used_at is None
    assert not Testimony.objects.exists()


def test_a_bare_page_without_a_token_in_the_session_is_not_valid(client, link):
    response = client.get(URL)

    assert _invalid_page(response)
    assert TOKEN_SESSION_KEY not in client.session


def test_a_second_link_replaces_the_first_in_the_same_browser(client, link, other_link):
    _open(client, link[1])

    response = _open(client, other_link[1])

    assert client.session[TOKEN_SESSION_KEY] == other_link[1]
    assert response.context["req"] == other_link[0]
    assert "A second request, sent later." in response.content.decode()
    assert _thanks_page(client.post(URL, _valid()))
    assert Testimony.objects.get().request == other_link[0]
    assert LinkRequest.objects.get(pk=link[0].pk).used_at is None


def test_it_shows_the_form_again_on_reload(client, link):
    _open(client, link[1])

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["req"] == link[0]


# The page


def test_it_needs_no_login_for_a_valid_link(client, link):
    response = _open(client, link[1])

    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous
    assert "reviews/public/testimony_form.html" in _templates(response)


def test_it_shows_the_recruiter_the_message_and_the_activities(client, recruiter, link):
    html = _open(client, link[1]).content.decode()

    assert escape(f"A testimony for {recruiter.get_full_name()}") in html
    assert "How the introductions at the fintech breakfast worked out." in html
    assert "11 Feb 2025: Event attended (Fintech breakfast, Shoreditch)" in html


def test_it_does_not_show_the_activities_summaries(client, link):
    html = _open(client, link[1]).content.decode()
    assert "Summarymark" not in html


def test_it_offers_the_contacts_name_to_sign_with(client, link):
    form = _open(client, link[1]).context["form"]
    assert form["witness_name"].value() == "Sam Okafor"


def test_it_does_not_offer_manager_as_the_relationship(client, link):
    form = _open(client, link[1]).context["form"]
    offered = [value for value, _ in form.fields["relationship"].choices]
    assert WitnessRelationship.MANAGER not in offered
    assert WitnessRelationship.CLIENT in offered


def test_it_is_not_kept_in_caches_and_sends_no_referrer(client, link):
    response = _open(client, link[1])
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_form_carries_no_token(client, link):
    html = _open(client, link[1]).content.decode()
    form = re.search(r'<form method="post".*?</form>', html, re.S).group(0)

    assert 'name="t"' not in form
    assert link[1] not in html


# Signing


def test_it_signs_the_testimony_with_the_token_from_the_session(client, recruiter, link):
    _open(client, link[1])

    response = client.post(URL, _valid())

    assert _thanks_page(response)
    testimony = Testimony.objects.get()
    assert (testimony.owner, testimony.request, testimony.author) == (recruiter, link[0], None)
    assert (testimony.witness_name, testimony.text) == ("Sam Okafor", STATEMENT)
    assert testimony.relationship == WitnessRelationship.CLIENT
    assert testimony.is_intact


def test_it_forgets_the_token_once_signed(client, link):
    _open(client, link[1])
    assert client.session[TOKEN_SESSION_KEY] == link[1]

    client.post(URL, _valid())

    assert TOKEN_SESSION_KEY not in client.session
    assert _invalid_page(client.get(URL))


def test_it_signs_with_a_token_in_the_body_when_the_session_has_none(client, recruiter, link):
    response = client.post(URL, _valid(t=link[1]))

    assert _thanks_page(response)
    assert Testimony.objects.get().request == link[0]
    assert TOKEN_SESSION_KEY not in client.session


def test_a_form_opened_before_the_change_still_signs_at_its_links_address(client, link):
    """Pages served before the change post back to /testimony/?t=<token> with the token
    in a hidden field: that is the only kind of request that carries `t` in the body."""
    response = client.post(_url(link[1]), _valid(t=link[1]))

    assert _thanks_page(response)
    assert Testimony.objects.get().request == link[0]


def test_it_tidies_the_spaces_in_the_witnesss_name(client, link):
    _open(client, link[1])
    client.post(URL, _valid(witness_name="  Sam   Okafor "))
    assert Testimony.objects.get().witness_name == "Sam Okafor"


def test_the_link_works_once_then_never_again(client, link):
    _open(client, link[1])
    client.post(URL, _valid())

    assert _invalid_page(_open(client, link[1]))
    assert _invalid_page(client.post(URL, _valid(text=STATEMENT + " Again.")))
    assert _invalid_page(Client().post(URL, _valid(t=link[1], text=STATEMENT + " Again.")))
    assert Testimony.objects.count() == 1


def test_it_refuses_a_link_past_its_expiry(client, link):
    request, token = link
    LinkRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert _invalid_page(_open(client, token))
    assert _invalid_page(client.post(URL, _valid()))
    assert _invalid_page(Client().post(URL, _valid(t=token)))
    assert not Testimony.objects.exists()


def test_it_refuses_a_link_that_expires_while_the_form_is_open(client, link):
    request, token = link
    assert _open(client, token).status_code == 200
    LinkRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now())

    assert _invalid_page(client.post(URL, _valid()))
    assert not Testimony.objects.exists()


def test_every_bad_link_gets_the_same_page(client, recruiter, sam, link):
    used = services.testimony_request_create(contact=sam, by=recruiter, activities=[], message="")
    _open(client, used[1])
    client.post(URL, _valid())
    expired = services.testimony_request_create(
        contact=sam, by=recruiter, activities=[], message=""
    )
    LinkRequest.objects.filter(pk=expired[0].pk).update(expires_at=timezone.now())
    tokens = ["not-a-token", "", used[1], expired[1], link[0].token_hash]

    responses = [_open(client, token) for token in tokens] + [Client().get(URL)]

    assert all(r.redirect_chain == [("/testimony/", 302)] for r in responses[:-1])
    assert all(_invalid_page(r) for r in responses)
    assert len({r.content for r in responses}) == 1


def test_the_sessions_token_wins_over_another_in_the_body(client, link, other_link):
    """The token in the body is only a fallback: another request's token there changes
    nothing once a link has been opened."""
    _open(client, link[1])

    client.post(URL, _valid(t=other_link[1]))

    assert Testimony.objects.get().request == link[0]
    assert LinkRequest.objects.get(pk=other_link[0].pk).used_at is None


# Bad input


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"witness_name": ""}, "witness_name"),
        ({"witness_name": "   "}, "witness_name"),
        ({"witness_role": ""}, "witness_role"),
        ({"text": "Great recruiter."}, "text"),
        ({"confirm": ""}, "confirm"),
        ({"relationship": ""}, "relationship"),
        ({"relationship": WitnessRelationship.MANAGER}, "relationship"),
    ],
    ids=["no-name", "blank-name", "no-role", "short", "no-confirm", "no-relation", "manager"],
)
def test_bad_input_saves_nothing_and_leaves_the_link_usable(client, link, overrides, field):
    _open(client, link[1])
    data = {k: v for k, v in _valid(**overrides).items() if v != ""}

    response = client.post(URL, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert 'name="t"' not in response.content.decode()
    assert client.session[TOKEN_SESSION_KEY] == link[1]
    assert not Testimony.objects.exists()
    assert LinkRequest.objects.get(pk=link[0].pk).used_at is None
    assert _thanks_page(client.post(URL, _valid()))
    assert Testimony.objects.count() == 1


# Rate limit


def test_it_slows_down_a_client_after_30_hits(client, link):
    for _ in range(PUBLIC_HITS // 2):  # each visit through a link is two hits
        assert _invalid_page(_open(client, "guess"))

    response = _open(client, link[1])  # even a valid link, from this address

    assert PUBLIC_HITS == 30
    assert response.status_code == 429
    assert response.redirect_chain == []
    assert "reviews/public/testimony_slow_down.html" in _templates(response)


def test_each_visit_through_a_link_costs_two_hits(client, link):
    for _ in range(PUBLIC_HITS // 2 - 1):
        _open(client, "guess")

    assert _open(client, link[1]).status_code == 200  # hits 29 and 30
    assert client.get(URL).status_code == 429


def test_it_can_slow_down_between_the_redirect_and_the_page(client, link):
    for _ in range(PUBLIC_HITS - 1):
        client.get(URL)

    response = _open(client, link[1])

    assert response.redirect_chain == [("/testimony/", 302)]
    assert response.status_code == 429
    assert "reviews/public/testimony_slow_down.html" in _templates(response)


def test_a_slowed_down_client_cannot_submit(client, link):
    _open(client, link[1])
    for _ in range(PUBLIC_HITS - 2):
        assert client.get(URL).status_code == 200

    assert client.post(URL, _valid()).status_code == 429
    assert Client().post(URL, _valid(t=link[1])).status_code == 429
    assert not Testimony.objects.exists()
    assert client.session[TOKEN_SESSION_KEY] == link[1]


def test_it_counts_each_client_address_apart(client, link):
    for _ in range(PUBLIC_HITS // 2 + 1):
        _open(client, "guess", REMOTE_ADDR="203.0.113.9")

    assert _open(client, link[1], REMOTE_ADDR="203.0.113.10").status_code == 200
    assert _open(client, link[1], REMOTE_ADDR="203.0.113.9").status_code == 429
