"""Take your network with you: a recruiter's own contacts as CSV or vCard, and their
follow-ups and review dates as a calendar feed at a private, revocable link. Views
only coordinate: the files are written in takeout.exports and takeout.feed, the
link's lifecycle lives in takeout.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST, require_safe

from contacts.filters import ContactFilter
from contacts.models import Contact
from netlog.access import recruiter_required, visible_to
from netlog.ratelimit import allow, client_address
from privacy.models import Action
from privacy.services import audit_log
from takeout import exports, services
from takeout.feed import ical_stream
from takeout.models import CalendarFeed

# What one address may fetch of the feed before being slowed down. Generous: Google
# and Microsoft fetch every subscriber's calendar from a few shared addresses.
FEED_HITS, FEED_WINDOW = 120, 15 * 60


# Contacts export


def _contacts(request: HttpRequest) -> QuerySet[Contact]:
    """What the contact list shows for the same query string, in its order: every
    page of it (a cursor in the query string is ignored)."""
    contacts = visible_to(Contact.objects.all(), request.user)
    filterset = ContactFilter(request.GET, queryset=contacts, user=request.user)
    return filterset.qs.order_by(*filterset.ordering)


# The formats: how to write them, their type, the file's extension, the audit's words.
FORMATS = {
    "csv": (exports.contacts_csv, "text/csv; charset=utf-8", "csv", "contacts CSV"),
    "vcard": (exports.contacts_vcard, "text/vcard; charset=utf-8", "vcf", "contacts vCard"),
}


@require_GET
@recruiter_required
def contacts_export(request: HttpRequest, format: str) -> StreamingHttpResponse:
    """The recruiter's contacts as the list shows them (its filters), every page."""
    write, content_type, extension, said = FORMATS[format]
    contacts = _contacts(request)
    audit_log(actor=request.user, action=Action.EXPORTED, detail=said)
    response = StreamingHttpResponse(write(contacts), content_type=content_type)
    filename = f"netlog-contacts-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # a copy of people's data: not for caches
    return response


# Calendar feed


@require_GET
@recruiter_required
def calendar(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(owner=request.user).first()
    return render(request, "takeout/calendar.html", {"feed": feed})


@require_POST
@recruiter_required
def calendar_new(request: HttpRequest) -> HttpResponse:
    """Make a link, or replace the one there is (which stops working at once). The
    link is shown in this response only: just its hash is kept."""
    feed, token = services.calendar_feed_create(owner=request.user)
    path = f"{reverse('takeout:calendar_feed')}?{urlencode({'token': token})}"
    response = render(
        request,
        "takeout/calendar.html",
        {"feed": feed, "link": request.build_absolute_uri(path)},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@recruiter_required
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    if services.calendar_feed_revoke(owner=request.user):
        messages.success(request, "The calendar link no longer works.")
    return redirect("takeout:calendar")


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """What a calendar app fetches: no sign-in, the link's token instead. The token is
    in the query string, which the access logs leave out (see the Dockerfile and the
    README). An unknown, replaced or revoked token answers the same 404."""
    if not allow(
        f"calendar-feed:{client_address(request)}", limit=FEED_HITS, window_seconds=FEED_WINDOW
    ):
        return HttpResponse(
            "Too many requests: try again later.",
            status=429,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": str(FEED_WINDOW)},
        )
    feed = services.calendar_feed_open(request.GET.get("token", ""))
    if feed is None:
        raise Http404("No such calendar.")
    response = StreamingHttpResponse(
        ical_stream(feed.owner),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
