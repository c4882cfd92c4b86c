"""GET and POST /testimony/?t=<token>: an external witness's page. No account, a
single-use link that expires, the same answer for every bad link, and a rate limit
per client address."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from contacts.models import ActivityType, Kind
from reviews import services
from reviews.models import Testimony, WitnessRelationship
from reviews.models import TestimonyRequest as LinkRequest  # not "Test*": pytest collects those
from reviews.views import PUBLIC_HITS
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


def _url(token: str) -> str:
    return f"{URL}?t={token}"


def _valid(token: str, **overrides) -> dict:
    data = {
        "t": token,
        "witness_name": "Sam Okafor",
        "witness_role": "Head of Data, Northwind Analytics",
        "relationship": WitnessRelationship.CLIENT,
        "text": STATEMENT,
        "confirm": "on",
    }
    return {**data, **overrides}


def _invalid_page(response) -> bool:
    return (
        response.status_code == 404
        and [t.name for t in response.templates][0] == "reviews/public/testimony_invalid.html"
    )


# The page


def test_it_needs_no_login_for_a_valid_link(client, link):
    response = client.get(_url(link[1]))

    assert response.status_code == 200
    assert "reviews/public/testimony_form.html" in [t.name for t in response.templates]


def test_it_shows_the_recruiter_the_message_and_the_activities(client, recruiter, link):
    html = client.get(_url(link[1])).content.decode()

    assert f"A testimony for {recruiter.get_full_name()}" in html
    assert "How the introductions at the fintech breakfast worked out." in html
    assert "11 Feb 2025: Event attended (Fintech breakfast, Shoreditch)" in html


def test_it_does_not_show_the_activities_summaries(client, link):
    html = client.get(_url(link[1])).content.decode()
    assert "Summarymark" not in html


def test_it_offers_the_contacts_name_to_sign_with(client, link):
    form = client.get(_url(link[1])).context["form"]
    assert form["witness_name"].value() == "Sam Okafor"


def test_it_does_not_offer_manager_as_the_relationship(client, link):
    form = client.get(_url(link[1])).context["form"]
    offered = [value for value, _ in form.fields["relationship"].choices]
    assert WitnessRelationship.MANAGER not in offered
    assert WitnessRelationship.CLIENT in offered


def test_it_is_not_kept_in_caches_and_sends_no_referrer(client, link):
    response = client.get(_url(link[1]))
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_it_keeps_the_token_in_the_form_body(client, link):
    html = client.get(_url(link[1])).content.decode()
    form = re.search(r'<form method="post".*?</form>', html, re.S).group(0)
    assert f'<input type="hidden" name="t" value="{link[1]}">' in form


# Signing


def test_it_signs_the_testimony_with_the_token_from_the_form_body(client, recruiter, link):
    response = client.post(URL, _valid(link[1]))

    assert response.status_code == 200
    assert "reviews/public/testimony_thanks.html" in [t.name for t in response.templates]
    testimony = Testimony.objects.get()
    assert (testimony.owner, testimony.request, testimony.author) == (recruiter, link[0], None)
    assert (testimony.witness_name, testimony.text) == ("Sam Okafor", STATEMENT)
    assert testimony.relationship == WitnessRelationship.CLIENT
    assert testimony.is_intact


def test_it_tidies_the_spaces_in_the_witnesss_name(client, link):
    client.post(URL, _valid(link[1], witness_name="  Sam   Okafor "))
    assert Testimony.objects.get().witness_name == "Sam Okafor"


def test_the_link_works_once_then_never_again(client, link):
    client.post(URL, _valid(link[1]))

    assert _invalid_page(client.get(_url(link[1])))
    again = client.post(URL, _valid(link[1], text=STATEMENT + " Again."))
    assert _invalid_page(again)
    assert Testimony.objects.count() == 1


def test_it_refuses_a_link_past_its_expiry(client, link):
    request, token = link
    LinkRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert _invalid_page(client.get(_url(token)))
    assert _invalid_page(client.post(URL, _valid(token)))
    assert not Testimony.objects.exists()


def test_every_bad_link_gets_the_same_page(client, recruiter, sam, link):
    used = services.testimony_request_create(contact=sam, by=recruiter, activities=[], message="")
    client.post(URL, _valid(used[1]))
    expired = services.testimony_request_create(
        contact=sam, by=recruiter, activities=[], message=""
    )
    LinkRequest.objects.filter(pk=expired[0].pk).update(expires_at=timezone.now())
    urls = [
        _url("not-a-token"),
        _url(""),
        URL,
        _url(used[1]),
        _url(expired[1]),
        _url(link[0].token_hash),
    ]

    responses = [client.get(url) for url in urls]

    assert all(_invalid_page(r) for r in responses)
    assert len({r.content for r in responses}) == 1


def test_a_token_in_the_body_wins_over_another_in_the_address(client, recruiter, sam, link):
    """The token the form carries is the one signed with: another request's token in
    the address changes nothing."""
    other = services.testimony_request_create(contact=sam, by=recruiter, activities=[], message="")
    client.post(_url(other[1]), _valid(link[1]))
    assert Testimony.objects.get().request == link[0]
    assert LinkRequest.objects.get(pk=other[0].pk).used_at is None


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
    data = {k: v for k, v in _valid(link[1], **overrides).items() if v != ""}

    response = client.post(URL, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response["Cache-Control"] == "no-store"
    assert f'name="t" value="{link[1]}"' in response.content.decode()
    assert not Testimony.objects.exists()
    assert LinkRequest.objects.get(pk=link[0].pk).used_at is None
    assert client.post(URL, _valid(link[1])).status_code == 200
    assert Testimony.objects.count() == 1


# Rate limit


def test_it_slows_down_a_client_after_30_hits(client, link):
    for _ in range(PUBLIC_HITS):
        assert _invalid_page(client.get(_url("guess")))

    response = client.get(_url(link[1]))  # even a valid link, from this address

    assert PUBLIC_HITS == 30
    assert response.status_code == 429
    assert "reviews/public/testimony_slow_down.html" in [t.name for t in response.templates]


def test_a_slowed_down_client_cannot_submit(client, link):
    for _ in range(PUBLIC_HITS):
        client.get(_url("guess"))

    assert client.post(URL, _valid(link[1])).status_code == 429
    assert not Testimony.objects.exists()


def test_it_counts_each_client_address_apart(client, link):
    for _ in range(PUBLIC_HITS + 1):
        client.get(_url("guess"), REMOTE_ADDR="203.0.113.9")

    assert client.get(_url(link[1]), REMOTE_ADDR="203.0.113.10").status_code == 200
    assert client.get(_url(link[1]), REMOTE_ADDR="203.0.113.9").status_code == 429
