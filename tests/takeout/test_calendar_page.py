"""GET /calendar/, POST /calendar/new/ and POST /calendar/revoke/: a recruiter makes,
replaces and turns off their calendar feed link. The link is shown once; only its
hash is kept; each change is audited without the token."""

import dataclasses
import hashlib
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from privacy.models import Action, AuditEvent
from takeout.models import CalendarFeed
from tests.conftest import client_for

PAGE = reverse("takeout:calendar")
NEW = reverse("takeout:calendar_new")
REVOKE = reverse("takeout:calendar_revoke")
FEED = reverse("takeout:calendar_feed")


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@dataclasses.dataclass
class Made:
    link: str
    token: str
    html: str


def _make(client) -> Made:
    response = client.post(NEW)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    link = re.search(r'id="calendar-link" type="text" readonly value="([^"]+)"', html).group(1)
    token = re.fullmatch(rf"http://testserver{re.escape(FEED)}\?token=([\w-]+)", link).group(1)
    return Made(link=link, token=token, html=html)


def _feed_status(token: str) -> int:
    """What a calendar app, which does not sign in, gets for the link."""
    return Client().get(FEED, {"token": token}).status_code


# The page


def test_it_offers_to_create_a_link_when_there_is_none(as_recruiter):
    response = as_recruiter.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Create a link" in html
    assert "Replace the link" not in html
    assert f'action="{NEW}"' in html


def test_it_offers_to_replace_or_turn_off_a_link_without_showing_it(as_recruiter):
    made = _make(as_recruiter)

    html = as_recruiter.get(PAGE).content.decode()

    assert "Replace the link" in html
    assert "Turn the link off" in html
    assert f'action="{REVOKE}"' in html
    assert made.token not in html


def test_it_says_what_the_feed_holds_and_leaves_out(as_recruiter):
    html = as_recruiter.get(PAGE).content.decode()

    assert "no email addresses, phone numbers, notes" in html
    assert "like a password" in html


@pytest.mark.parametrize("who", ["manager", "dpo", "assessor"])
@pytest.mark.parametrize(("method", "url"), [("get", PAGE), ("post", NEW), ("post", REVOKE)])
def test_only_recruiters_have_a_feed(request, who, method, url):
    response = getattr(client_for(request.getfixturevalue(who)), method)(url)

    assert response.status_code == 403
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("url", [NEW, REVOKE])
def test_changes_reject_get(as_recruiter, url):
    assert as_recruiter.get(url).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_page_rejects_post(as_recruiter):
    assert as_recruiter.post(PAGE).status_code == 405


# Making a link


def test_it_shows_a_working_link_once(as_recruiter, recruiter):
    made = _make(as_recruiter)

    assert "shown only once" in made.html
    assert _feed_status(made.token) == 200
    assert made.token not in as_recruiter.get(PAGE).content.decode()


def test_it_keeps_only_the_tokens_hash(as_recruiter, recruiter):
    made = _make(as_recruiter)

    feed = CalendarFeed.objects.get()
    assert feed.owner == recruiter
    assert feed.token_hash == hashlib.sha256(made.token.encode()).hexdigest()
    for field in CalendarFeed._meta.concrete_fields:
        assert made.token not in str(field.value_from_object(feed))


def test_the_token_is_long_and_random(as_recruiter):
    first = _make(as_recruiter).token
    second = _make(as_recruiter).token

    assert len(first) >= 43  # 32 random bytes
    assert first != second


def test_replacing_the_link_stops_the_old_one_at_once(as_recruiter):
    old = _make(as_recruiter)
    new = _make(as_recruiter)

    assert _feed_status(old.token) == 404
    assert _feed_status(new.token) == 200
    assert CalendarFeed.objects.count() == 1


def test_each_recruiter_has_a_link_of_their_own(as_recruiter, teammate):
    mine = _make(as_recruiter)
    theirs = _make(client_for(teammate))

    assert CalendarFeed.objects.count() == 2
    assert _feed_status(mine.token) == _feed_status(theirs.token) == 200


# Turning it off


def test_turning_the_link_off_stops_it_at_once(as_recruiter):
    made = _make(as_recruiter)

    response = as_recruiter.post(REVOKE, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "no longer works" in response.content.decode()
    assert not CalendarFeed.objects.exists()
    assert _feed_status(made.token) == 404


def test_turning_it_off_twice_is_harmless(as_recruiter):
    _make(as_recruiter)
    as_recruiter.post(REVOKE)

    response = as_recruiter.post(REVOKE)

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.DELETED).count() == 1


def test_it_turns_off_only_the_recruiters_own_link(as_recruiter, teammate):
    theirs = _make(client_for(teammate))
    _make(as_recruiter)

    as_recruiter.post(REVOKE)

    assert _feed_status(theirs.token) == 200


# Audit


def test_it_audits_making_replacing_and_turning_off_without_the_token(as_recruiter, recruiter):
    tokens = [_make(as_recruiter).token, _make(as_recruiter).token]
    feed_id = CalendarFeed.objects.get().pk
    as_recruiter.post(REVOKE)

    events = AuditEvent.objects.order_by("id")
    assert [(e.actor, e.action, e.object_type, e.object_id, e.detail) for e in events] == [
        (recruiter, Action.CREATED, "takeout.calendarfeed", feed_id, "calendar feed link"),
        (recruiter, Action.CHANGED, "takeout.calendarfeed", feed_id, "calendar feed link replaced"),
        (recruiter, Action.DELETED, "takeout.calendarfeed", feed_id, "calendar feed link"),
    ]
    for event in events:
        assert not any(token in event.detail for token in tokens)


# Where it is linked from


def test_the_reviews_page_links_recruiters_to_it(as_recruiter, as_manager):
    assert f'href="{PAGE}"' in as_recruiter.get(reverse("reviews:home")).content.decode()
    assert f'href="{PAGE}"' not in as_manager.get(reverse("reviews:home")).content.decode()
