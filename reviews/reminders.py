"""The daily reminders digest: what each person should act on, gathered into one
list, shown in the app (/reminders/) and sent as one email per person. Emails give
counts and a link, never names: mail servers keep what they are sent."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import Role, User
from contacts.models import Activity, Contact
from privacy.models import DataRequest
from reviews import services
from reviews.models import DigestSent, Review, TestimonyRequest

logger = logging.getLogger(__name__)

REQUEST_WARNING_DAYS = 7  # a data request due within a week is near its deadline
UNANSWERED_AFTER_DAYS = 3  # a testimony request unanswered for this long is chased
SHOWN = 50  # contacts listed on the reminders page for each reminder; the rest counted


@dataclass
class Digest:
    user: User
    follow_ups: QuerySet = field(default_factory=lambda: Activity.objects.none())
    review_actions: QuerySet = field(default_factory=lambda: Review.objects.none())
    # The first SHOWN of each (most overdue first) and how many there are in all.
    out_of_touch: list = field(default_factory=list)
    out_of_touch_total: int = 0
    reviews_due: list = field(default_factory=list)
    reviews_due_total: int = 0
    testimony_requests: QuerySet = field(default_factory=lambda: TestimonyRequest.objects.none())
    notices_overdue: list = field(default_factory=list)
    data_requests: QuerySet = field(default_factory=lambda: DataRequest.objects.none())

    def counts(self) -> list[tuple[str, int]]:
        return [
            (label, n)
            for label, n in [
                ("follow-ups due or overdue", len(self.follow_ups)),
                ("review next actions due", len(self.review_actions)),
                ("contacts overdue for a conversation", self.out_of_touch_total),
                ("relationships due a review", self.reviews_due_total),
                ("testimony requests unanswered", len(self.testimony_requests)),
                ("privacy notices overdue", len(self.notices_overdue)),
                ("data protection requests near their deadline", len(self.data_requests)),
            ]
            if n
        ]

    @property
    def empty(self) -> bool:
        return not self.counts()


def digest_for(user: User, today: datetime.date) -> Digest:
    digest = Digest(user)
    if user.role == Role.RECRUITER:
        activities = Activity.objects.filter(owner=user)
        digest.follow_ups = list(
            activities.follow_ups_open().filter(follow_up_on__lte=today).order_by("follow_up_on")
        )
        digest.review_actions = list(
            Review.objects.filter(owner=user, next_action_on__lte=today)
            .actions_open()
            .select_related("contact")
        )
        contacts = Contact.objects.filter(owner=user)
        counts = services.attention_counts(contacts, today)
        digest.out_of_touch = services.attention(contacts, today, only="overdue", limit=SHOWN)
        digest.out_of_touch_total = counts["overdue"]
        digest.reviews_due = services.attention(contacts, today, only="review_due", limit=SHOWN)
        digest.reviews_due_total = counts["review_due"]
        chase_up_to = today - datetime.timedelta(days=UNANSWERED_AFTER_DAYS)
        digest.testimony_requests = list(
            TestimonyRequest.objects.filter(
                owner=user,
                used_at__isnull=True,
                expires_at__date__gt=today,
                created_at__date__lte=chase_up_to,
            ).select_related("contact")
        )
        outstanding = contacts.notice_outstanding()
        digest.notices_overdue = [
            c for c in outstanding if c.notice_state(today, contacted=c.contacted) == "overdue"
        ]
    if user.role == Role.DPO:
        soon = today + datetime.timedelta(days=REQUEST_WARNING_DAYS)
        digest.data_requests = list(DataRequest.objects.open().filter(due_on__lte=soon))
    return digest


def digests_send(today: datetime.date) -> int:
    """One email to each person with something to act on; returns how many were sent.
    Each day's email is claimed before it is sent, so a run repeated (a redelivered
    job) sends nothing twice; a failed send gives its claim back for the next run."""
    sent = 0
    people = User.objects.filter(is_active=True).exclude(email="")
    for user in people.exclude(digests__on=today).iterator():
        digest = digest_for(user, today)
        if digest.empty:
            continue
        claim, claimed = DigestSent.objects.get_or_create(user=user, on=today)
        if not claimed:
            continue
        try:
            _send(digest, today)
            sent += 1
        except OSError:
            claim.delete()
            logger.exception("Reminder digest to user %s failed", user.pk)
    return sent


def _send(digest: Digest, today: datetime.date) -> None:
    lines = [f"- {n} {label}" for label, n in digest.counts()]
    send_mail(
        subject=f"netlog: your reminders for {today:%d/%m/%Y}",
        message=(
            "Today in netlog:\n\n" + "\n".join(lines) + f"\n\nSee them: "
            f"{settings.SITE_URL}{reverse('reviews:reminders')}\n"
        ),
        from_email=None,
        recipient_list=[digest.user.email],
    )
