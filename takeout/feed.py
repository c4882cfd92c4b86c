"""A recruiter's calendar feed (iCalendar): open follow-ups, open next actions from
reviews, and the day each professional relationship falls due a review, as all-day
events.

The feed is read by a calendar app and kept in someone else's cloud, so an event
carries its date and a title that may name the contact: never an email address, a
phone number, notes or next-action text.

Events are serialised one at a time between the calendar's own first and last
lines, so a large network streams in flat memory rather than being built whole."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from itertools import chain

from django.utils import timezone
from icalendar import Calendar, Event

from accounts.models import User
from contacts.models import Activity, Contact
from reviews.models import Review
from reviews.services import in_touch, review_due_on
from takeout.text import plain_text

CHUNK_SIZE = 2000
DAY = datetime.timedelta(days=1)
END = b"END:VCALENDAR\r\n"
# A follow-up's title names this many of its people at most, and counts the rest.
NAMED = 2


def _calendar_head() -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//netlog//calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "netlog follow-ups and reviews")
    # How often to fetch it again, for the apps that ask (RFC 7986, and Outlook's own).
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar.to_ical().removesuffix(END)


def _event(uid: str, day: datetime.date, summary: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@netlog")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + DAY)
    event.add("summary", plain_text(summary))  # icalendar escapes \n, ; , and \\
    event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
    return event


def _people(names: list[str], word: str = "with") -> str:
    """' with Jo Bloggs', ' with Jo Bloggs and Sam Okafor', ' with Jo, Sam and 3 more'."""
    if not names:
        return ""
    if len(names) <= NAMED:
        return f" {word} " + " and ".join(names)
    return f" {word} {', '.join(names[:NAMED])} and {len(names) - NAMED} more"


def _activity_type(activity: Activity) -> str:
    return activity.get_type_display().lower().replace("linkedin", "LinkedIn")


def _follow_ups(owner: User, stamp: datetime.datetime) -> Iterator[Event]:
    activities = Activity.objects.filter(owner=owner).follow_ups_open()
    activities = activities.prefetch_related("contacts").order_by("follow_up_on", "id")
    for activity in activities.iterator(chunk_size=CHUNK_SIZE):
        names = [contact.name for contact in activity.contacts.all()]
        summary = f"Follow up{_people(names)} ({_activity_type(activity)})"
        yield _event(f"follow-up-{activity.pk}", activity.follow_up_on, summary, stamp)


def _review_actions(owner: User, stamp: datetime.datetime) -> Iterator[Event]:
    reviews = Review.objects.filter(owner=owner).actions_open().select_related("contact")
    for review in reviews.order_by("next_action_on", "id").iterator(chunk_size=CHUNK_SIZE):
        about = review.contact.name if review.contact else "a contact no longer held"
        summary = f"Next action from your review of {about}"
        yield _event(f"review-action-{review.pk}", review.next_action_on, summary, stamp)


def _reviews_due(owner: User, stamp: datetime.datetime) -> Iterator[Event]:
    """Professional contacts not discontinued at their last review (as on the reviews
    page) falling due a review: one event a day, naming a few and counting the rest
    (an import of thousands would otherwise put thousands of events on one day)."""
    contacts = in_touch(Contact.objects.filter(owner=owner)).order_by("id")
    by_day: dict[datetime.date, list[str]] = defaultdict(list)
    for contact in contacts.iterator(chunk_size=CHUNK_SIZE):
        by_day[review_due_on(contact.last_reviewed_on, contact.created_at)].append(contact.name)
    for day in sorted(by_day):
        names = by_day[day]
        summary = f"Review due{_people(names, word='for')}"
        yield _event(f"reviews-due-{owner.pk}-{day:%Y%m%d}", day, summary, stamp)


def ical_stream(owner: User) -> Iterator[bytes]:
    """The whole calendar of `owner`, in pieces."""
    stamp = timezone.now()
    yield _calendar_head()
    for event in chain(
        _follow_ups(owner, stamp), _review_actions(owner, stamp), _reviews_due(owner, stamp)
    ):
        yield event.to_ical()
    yield END
