"""GET /calendar/feed.ics?token=…: what a calendar app fetches, without signing in.
The recruiter's own open follow-ups, open review next actions and the day each
professional relationship falls due a review, as all-day events that name the
contact and nothing more about them. A bad link of any kind answers the same 404;
the feed is rate-limited per address."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Role
from contacts.models import ActivityType, Contact, Kind
from privacy.models import AuditEvent
from reviews.models import Decision, Review
from reviews.services import review_due_on
from takeout import services, views
from tests.factories import ActivityFactory, ContactFactory, ReviewFactory
from tests.takeout.lines import LINE_BREAKS, unfolded

URL = reverse("takeout:calendar_feed")
TODAY = datetime.date(2025, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token(recruiter) -> str:
    return services.calendar_feed_create(owner=recruiter)[1]


@pytest.fixture
def app() -> Client:
    """A calendar app: never signed in."""
    return Client()


def _added(days_ago: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(TODAY - days_ago * DAY, datetime.time(12)))


def _contact(owner, first: str, last: str = "", **fields) -> Contact:
    fields.setdefault("created_at", _added(400))
    return ContactFactory(owner=owner, first_name=first, last_name=last, **fields)


def _review(contact, *, days_ago: int = 30, decision=Decision.MAINTAIN, **fields) -> Review:
    return ReviewFactory(
        contact=contact,
        reviewed_on=TODAY - days_ago * DAY,
        rationale="Rationalemark: useful for platform roles.",
        decision=decision,
        **fields,
    )


def _follow_up(owner, contacts, *, on: datetime.date, type=ActivityType.CALL, **fields):
    return ActivityFactory(
        owner=owner, contacts=contacts, date=on - 5 * DAY, follow_up_on=on, type=type, **fields
    )


def _body(response) -> bytes:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def _events(response) -> dict:
    """{uid: (date, summary)} of the feed's events."""
    calendar = Calendar.from_ical(_body(response))
    return {
        str(event["uid"]): (event.decoded("dtstart"), str(event["summary"]))
        for event in calendar.walk("VEVENT")
    }


# What it holds


def test_it_holds_open_follow_ups_naming_the_contact(app, token, recruiter):
    jo = _contact(recruiter, "Jo", "Bloggs")
    call = _follow_up(recruiter, [jo], on=TODAY + 3 * DAY)

    events = _events(app.get(URL, {"token": token}))

    assert events[f"follow-up-{call.pk}@netlog"] == (
        TODAY + 3 * DAY,
        "Follow up with Jo Bloggs (call)",
    )


@pytest.mark.parametrize(
    ("people", "type", "summary"),
    [
        ([], ActivityType.EMAIL, "Follow up (email)"),
        (
            ["Ann Adams", "Bea Brown"],
            ActivityType.MEETING,
            "Follow up with Ann Adams and Bea Brown (meeting)",
        ),
        (
            ["Ann Adams", "Bea Brown", "Cal Cole", "Dee Dean"],
            ActivityType.LINKEDIN,
            "Follow up with Ann Adams, Bea Brown and 2 more (LinkedIn message)",
        ),
    ],
)
def test_a_follow_ups_title_names_at_most_two_people(app, token, recruiter, people, type, summary):
    contacts = [_contact(recruiter, *name.split()) for name in people]
    activity = _follow_up(recruiter, contacts, on=TODAY, type=type)

    assert _events(app.get(URL, {"token": token}))[f"follow-up-{activity.pk}@netlog"][1] == summary


def test_it_leaves_out_done_follow_ups_and_activities_without_one(app, token, recruiter):
    jo = _contact(recruiter, "Jo", "Bloggs")
    done = _follow_up(recruiter, [jo], on=TODAY, follow_up_done_at=timezone.now())
    plain = ActivityFactory(owner=recruiter, contacts=[jo])

    events = _events(app.get(URL, {"token": token}))

    assert f"follow-up-{done.pk}@netlog" not in events
    assert f"follow-up-{plain.pk}@netlog" not in events


def test_it_holds_open_review_next_actions(app, token, recruiter):
    jo = _contact(recruiter, "Jo", "Bloggs")
    review = _review(jo, next_actions="Nextmark: ask about the Leeds office.", next_action_on=TODAY)
    done = _review(jo, next_action_on=TODAY, next_action_done_at=timezone.now())
    gone = _review(_contact(recruiter, "Sam"), next_action_on=TODAY + DAY)
    gone.contact.delete()

    events = _events(app.get(URL, {"token": token}))

    assert events[f"review-action-{review.pk}@netlog"] == (
        TODAY,
        "Next action from your review of Jo Bloggs",
    )
    assert f"review-action-{done.pk}@netlog" not in events
    assert events[f"review-action-{gone.pk}@netlog"] == (
        TODAY + DAY,
        "Next action from your review of a contact no longer held",
    )


def test_it_holds_the_day_each_professional_contact_falls_due_a_review(app, token, recruiter):
    reviewed = _contact(recruiter, "Jo", "Bloggs")
    _review(reviewed, days_ago=400)
    _review(reviewed, days_ago=30)
    never = _contact(recruiter, "Sam", "Okafor", created_at=_added(10))

    events = _events(app.get(URL, {"token": token}))

    jo_due = TODAY - 30 * DAY + 181 * DAY
    sam_due = review_due_on(None, never.created_at)
    assert events[f"reviews-due-{recruiter.pk}-{jo_due:%Y%m%d}@netlog"] == (
        jo_due,
        "Review due for Jo Bloggs",
    )
    assert events[f"reviews-due-{recruiter.pk}-{sam_due:%Y%m%d}@netlog"] == (
        sam_due,
        "Review due for Sam Okafor",
    )
    assert sam_due == TODAY - 10 * DAY + 181 * DAY


def test_contacts_due_on_the_same_day_share_one_event(app, token, recruiter):
    added = _added(5)
    for n in range(5):
        _contact(recruiter, f"Person{n}", "Jones", created_at=added)
    due = review_due_on(None, added)

    events = _events(app.get(URL, {"token": token}))

    assert events == {
        f"reviews-due-{recruiter.pk}-{due:%Y%m%d}@netlog": (
            due,
            "Review due for Person0 Jones, Person1 Jones and 3 more",
        )
    }


def test_it_leaves_out_review_dates_of_personal_and_discontinued_contacts(app, token, recruiter):
    _contact(recruiter, "Friend", kind=Kind.PERSONAL)
    dropped = _contact(recruiter, "Dropped")
    _review(dropped, decision=Decision.DISCONTINUE)

    events = _events(app.get(URL, {"token": token}))

    assert not any(uid.startswith("reviews-due") for uid in events)


def test_it_never_holds_another_recruiters_items(app, token, recruiter, teammate, outsider):
    for other in (teammate, outsider):
        theirs = _contact(other, "Theirs", "Contact")
        _follow_up(other, [theirs], on=TODAY)
        _review(theirs, next_action_on=TODAY)
    mine = _contact(recruiter, "Mine")

    body = _body(app.get(URL, {"token": token}))

    assert b"Theirs" not in body
    due = review_due_on(None, mine.created_at)
    assert _events(app.get(URL, {"token": token})) == {
        f"reviews-due-{recruiter.pk}-{due:%Y%m%d}@netlog": (due, "Review due for Mine")
    }


def test_it_holds_no_email_phone_notes_or_free_text(app, token, recruiter):
    jo = _contact(
        recruiter,
        "Jo",
        "Bloggs",
        email="jo.bloggs@example.co.uk",
        phone="+44 20 7946 0958",
        organisation="Orgmark Ltd",
        notes="Notesmark: moving to Leeds.",
    )
    _follow_up(
        recruiter,
        [jo],
        on=TODAY,
        summary="Summarymark: talked salary.",
        context="Contextmark",
        outcome="Outcomemark",
    )
    _review(jo, next_actions="Nextmark: introduce to Sam.", next_action_on=TODAY)

    body = _body(app.get(URL, {"token": token})).decode()

    assert "Jo Bloggs" in body
    for secret in [
        "jo.bloggs@",
        "7946",
        "Orgmark",
        "Notesmark",
        "Summarymark",
        "Contextmark",
        "Outcomemark",
        "Nextmark",
        "Rationalemark",
    ]:
        assert secret not in body


# The calendar itself


def test_every_event_is_an_all_day_event_with_a_stamp(app, token, recruiter):
    jo = _contact(recruiter, "Jo", "Bloggs")
    _follow_up(recruiter, [jo], on=TODAY)
    _review(jo, next_action_on=TODAY)

    calendar = Calendar.from_ical(_body(app.get(URL, {"token": token})))

    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == "-//netlog//calendar feed//EN"
    events = calendar.walk("VEVENT")
    assert len(events) == 3  # the follow-up, the review's action, Jo's next review
    for event in events:
        start = event.decoded("dtstart")
        assert type(start) is datetime.date
        assert event.decoded("dtend") == start + DAY
        assert isinstance(event.decoded("dtstamp"), datetime.datetime)


@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=[repr(b) for b in LINE_BREAKS])
def test_no_name_can_add_a_property_or_an_event(app, token, recruiter, line_break):
    """RFC 5545 3.3.11: a line break in a name is written escaped (\\n), as are the
    semicolons, commas and backslashes, so the calendar app reads the name back."""
    first = "Jo|ATTENDEE:mailto:evil@example.com|END:VEVENT|BEGIN:VEVENT|SUMMARY:Evil"
    jo = _contact(recruiter, first.replace("|", line_break), "Bloggs; Smith, \\ Jr")
    _follow_up(recruiter, [jo], on=TODAY)
    _review(jo, next_action_on=TODAY)

    body = _body(app.get(URL, {"token": token}))
    lines = unfolded(body.decode())
    events = Calendar.from_ical(body).walk("VEVENT")

    assert [line for line in lines if line.startswith(("BEGIN:", "END:"))] == [
        "BEGIN:VCALENDAR",
        *["BEGIN:VEVENT", "END:VEVENT"] * 3,
        "END:VCALENDAR",
    ]
    name = first.replace("|", "\n") + " Bloggs; Smith, \\ Jr"
    assert sorted(str(event["summary"]) for event in events) == [
        f"Follow up with {name} (call)",
        f"Next action from your review of {name}",
        f"Review due for {name}",
    ]
    for event in events:
        assert set(event) == {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "TRANSP"}


def test_control_characters_are_left_out_and_long_titles_folded_whole(app, token, recruiter):
    jo = _contact(recruiter, "Jo\x01\x07\x1b[31m\x7f\x9b", "Żółć😀" * 20)
    _follow_up(recruiter, [jo], on=TODAY)

    body = _body(app.get(URL, {"token": token}))
    unfolded(body.decode())
    events = _events(app.get(URL, {"token": token}))

    assert events[next(uid for uid in events if uid.startswith("follow-up"))] == (
        TODAY,
        f"Follow up with Jo[31m {'Żółć😀' * 20} (call)",
    )


def test_an_events_uid_stays_the_same_from_one_fetch_to_the_next(app, token, recruiter):
    _follow_up(recruiter, [_contact(recruiter, "Jo")], on=TODAY)

    first = _events(app.get(URL, {"token": token}))
    second = _events(app.get(URL, {"token": token}))

    assert first == second


def test_it_is_a_calendar_not_for_caches(app, token):
    response = app.get(URL, {"token": token})

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    body = _body(response)
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n")


def test_an_empty_calendar_is_still_a_calendar(app, token):
    calendar = Calendar.from_ical(_body(app.get(URL, {"token": token})))

    assert calendar.walk("VEVENT") == []


def test_it_needs_no_sign_in_and_starts_no_session(app, token):
    response = app.get(URL, {"token": token})

    assert response.status_code == 200
    assert not response.cookies


def test_it_answers_head(app, token):
    assert app.head(URL, {"token": token}).status_code == 200


def test_it_rejects_post(app, token):
    assert app.post(URL, {"token": token}).status_code == 405


def test_fetching_it_writes_no_audit_event(app, token):
    before = AuditEvent.objects.count()

    _body(app.get(URL, {"token": token}))

    assert AuditEvent.objects.count() == before


# Bad links


def test_a_bad_link_of_any_kind_answers_the_same_404(app, token, recruiter):
    unknown = app.get(URL, {"token": "x" * 43})
    missing = app.get(URL)
    empty = app.get(URL, {"token": ""})
    replaced_token = token
    services.calendar_feed_create(owner=recruiter)
    replaced = app.get(URL, {"token": replaced_token})
    _, revoked_token = services.calendar_feed_create(owner=recruiter)
    services.calendar_feed_revoke(owner=recruiter)
    revoked = app.get(URL, {"token": revoked_token})

    responses = [unknown, missing, empty, replaced, revoked]
    assert [r.status_code for r in responses] == [404] * 5
    assert len({r.content for r in responses}) == 1


def test_a_link_in_the_path_is_not_a_link(app, token):
    assert app.get(f"{URL}/{token}").status_code == 404


def test_the_link_of_a_deactivated_recruiter_stops_working(app, token, recruiter):
    recruiter.is_active = False
    recruiter.save()

    assert app.get(URL, {"token": token}).status_code == 404


def test_the_link_of_someone_no_longer_a_recruiter_stops_working(app, token, recruiter):
    recruiter.role = Role.MANAGER
    recruiter.save()

    assert app.get(URL, {"token": token}).status_code == 404


def test_it_slows_down_an_address_that_asks_too_often(app, token, monkeypatch):
    monkeypatch.setattr(views, "FEED_HITS", 3)
    for _ in range(3):
        assert app.get(URL, {"token": "wrong"}).status_code == 404

    refused = app.get(URL, {"token": token})
    other_address = app.get(URL, {"token": token}, REMOTE_ADDR="192.0.2.7")

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(views.FEED_WINDOW)
    assert other_address.status_code == 200


# Queries


def _network(owner, size: int) -> None:
    """`size` contacts, each with an open follow-up (with two people) and an open
    review next action."""
    for n in range(size):
        contact = _contact(owner, f"Person{n:02}", "Jones")
        _follow_up(owner, [contact, _contact(owner, f"Other{n:02}")], on=TODAY + n * DAY)
        _review(contact, days_ago=n, next_action_on=TODAY + n * DAY)


# The feed, its follow-ups, their contacts, the review actions, the contacts due a review.
QUERIES = 5


@pytest.mark.parametrize("size", [2, 20])
def test_its_queries_do_not_grow_with_the_events(
    app, token, recruiter, django_assert_num_queries, size
):
    _network(recruiter, size)

    with django_assert_num_queries(QUERIES):
        events = _events(app.get(URL, {"token": token}))

    assert sum(uid.startswith(("follow-up", "review-action")) for uid in events) == 2 * size
    due_days = {uid for uid in events if uid.startswith("reviews-due")}
    assert 1 <= len(due_days) <= size + 1  # one event a day, however many are due


# Logs


def test_the_access_log_leaves_out_the_query_string_that_holds_the_token():
    """The token travels in the query string because gunicorn's access log (the
    Dockerfile's format) records the path only: %(r)s (the request line), %(q)s (the
    query) or %(f)s (the referrer) would write every recruiter's link into the log."""
    dockerfile = (settings.BASE_DIR / "Dockerfile").read_text()
    log_format = re.search(r'"--access-logformat",\s*"([^"]+)"', dockerfile).group(1)

    assert "%(U)s" in log_format
    for leaks in ["%(r)s", "%(q)s", "%(f)s", "{raw_uri}e", "{query_string}e"]:
        assert leaks not in log_format


def test_a_refused_link_is_logged_without_its_token(app, token, recruiter, caplog):
    services.calendar_feed_revoke(owner=recruiter)

    with caplog.at_level("WARNING", logger="django.request"):
        assert app.get(URL, {"token": token}).status_code == 404

    assert "Not Found: /calendar/feed.ics" in caplog.text
    assert token not in caplog.text
