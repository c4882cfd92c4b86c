"""Reviews, stay in touch, evidence and coverage: reads and workflows over several
models. Rules of one row stay on the models."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Abs, Coalesce, TruncDate
from django.utils import timezone

from accounts.models import Role, User
from contacts.models import Activity, Contact, Kind
from netlog.access import owners_visible_to, visible_to
from netlog.functions import AddDays
from netlog.tokens import new_token, token_hash
from privacy.models import Action
from privacy.services import audit_log
from reviews.models import (
    DEFAULT_IDEAL_DAYS,
    DEFAULT_MAX_DAYS,
    REVIEW_EVERY_DAYS,
    TESTIMONY_LINK_DAYS,
    Cadence,
    Criterion,
    Decision,
    EvidenceLink,
    LearningOutcome,
    Review,
    SignOff,
    Testimony,
    TestimonyRequest,
    WitnessRelationship,
    stay_in_touch_state,
)

# "The last year": the window for the activity score's frequency and for reciprocity.
YEAR = datetime.timedelta(days=365)

# Activity score from the log: how recently (days since the last activity) and how
# often (activities in the last year). Each gives 1-5; the suggestion is their mean.
RECENCY_STEPS = [(30, 5), (60, 4), (120, 3), (240, 2)]
FREQUENCY_STEPS = [(12, 5), (6, 4), (3, 3), (1, 2)]


def _step_score(value: int, steps: list[tuple[int, int]], *, at_most: bool) -> int:
    for bound, score in steps:
        if (value <= bound) if at_most else (value >= bound):
            return score
    return 1


def suggest_activity_score(contact: Contact, today: datetime.date) -> int:
    """1 (dormant) to 5 (in touch often and lately), from the networking log."""
    year_ago = today - YEAR
    log = contact.activities.filter(date__lte=today)
    stats = log.aggregate(last=Max("date"), recent=Count("id", filter=Q(date__gt=year_ago)))
    if stats["last"] is None:
        return 1
    recency = _step_score((today - stats["last"]).days, RECENCY_STEPS, at_most=True)
    frequency = _step_score(stats["recent"], FREQUENCY_STEPS, at_most=False)
    return (recency + frequency + 1) // 2  # the mean, halves rounded up


# Stay in touch


@dataclass
class Attention:
    contact: Contact
    last_contact: datetime.date
    ideal_days: int
    max_days: int
    state: str
    past_ideal: int  # days past the ideal gap (negative: days left)
    last_review: datetime.date | None
    review_due: bool


def in_touch(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Professional contacts not discontinued at their last review (FOLLOWED), annotated
    with what stay in touch needs: `last_touch` (the last activity, or the day they were
    added) and the last days within their cadence's ideal and maximum gaps
    (`ideal_until`, `max_until`; the contact's own cadence, else its kind's, else the
    default). All from the contact's row, as reviews.summary keeps it; a row written
    around it (loaded raw, bulk-created) counts with the default gaps."""
    return _touch_days(contacts.filter(FOLLOWED))


# The contacts stay in touch follows.
FOLLOWED = Q(kind__in=Kind.professional()) & ~Q(last_decision=Decision.DISCONTINUE)


def _touch_days(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    last_touch = Coalesce("last_activity_on", TruncDate("created_at"))
    return contacts.annotate(
        last_touch=last_touch,
        ideal_until=Coalesce("touch_ideal_on", AddDays(last_touch, Value(DEFAULT_IDEAL_DAYS))),
        max_until=Coalesce("touch_max_on", AddDays(last_touch, Value(DEFAULT_MAX_DAYS))),
    )


def review_due_on(
    last_review: datetime.date | None, created_at: datetime.datetime
) -> datetime.date:
    """The first day a relationship is due a review: more than REVIEW_EVERY_DAYS after
    its last review, or after it was added (local date) if never reviewed. The reviews
    page, the daily digest and the calendar feed all go by this one rule."""
    reviewed_or_added = last_review or timezone.localtime(created_at).date()
    return reviewed_or_added + datetime.timedelta(days=REVIEW_EVERY_DAYS + 1)


def _review_due(today: datetime.date) -> Q:
    """review_due_on(...) <= today, for in_touch() rows."""
    latest = today - datetime.timedelta(days=REVIEW_EVERY_DAYS + 1)
    return Q(reviewed_or_added__lte=latest)


# stay_in_touch_state() in SQL: 0 overdue, 1 due, 2 in touch (the page's order).
TOUCH_STATES = ["overdue", "due", "ok"]


def stay_in_touch(contacts: QuerySet[Contact], today: datetime.date) -> QuerySet[Contact]:
    """in_touch() with `touch` (an index into TOUCH_STATES) and `review_due`, most
    overdue first: red, then amber, then green, each the longest past its ideal gap
    first."""
    rows = _touch_state(in_touch(contacts), today)
    rows = rows.annotate(review_due=ExpressionWrapper(_review_due(today), BooleanField()))
    return rows.order_by("touch", "ideal_until", "first_name", "last_name", "id")


def _touch_state(rows: QuerySet[Contact], today: datetime.date) -> QuerySet[Contact]:
    """_touch_days() rows with `touch` and `reviewed_or_added`."""
    touch = Case(
        When(max_until__lt=today, then=Value(0)),
        When(ideal_until__lt=today, then=Value(1)),
        default=Value(2),
    )
    return rows.annotate(
        touch=touch, reviewed_or_added=Coalesce("last_reviewed_on", TruncDate("created_at"))
    )


# The subsets of attention() that pages list.
ONLY = {
    "needing": ~Q(touch=2),  # due or overdue
    "overdue": Q(touch=0),
    "review_due": Q(review_due=True),
}


def attention(
    contacts: QuerySet[Contact],
    today: datetime.date,
    *,
    only: str | None = None,
    limit: int | None = None,
) -> list[Attention]:
    """The stay-in-touch state of `contacts` (those in_touch()), most overdue first;
    `only` one of ONLY's subsets, and at most `limit` of them."""
    rows = stay_in_touch(contacts, today).select_related("owner")
    if only:
        rows = rows.filter(ONLY[only])
    found = []
    for c in rows[:limit] if limit else rows:
        ideal_days = (c.ideal_until - c.last_touch).days
        max_days = (c.max_until - c.last_touch).days
        state, past = stay_in_touch_state(c.last_touch, ideal_days, max_days, today)
        found.append(
            Attention(
                c, c.last_touch, ideal_days, max_days, state, past, c.last_reviewed_on, c.review_due
            )
        )
    return found


def attention_counts(contacts: QuerySet[Contact], today: datetime.date) -> dict[str, int]:
    """How many of stay_in_touch(contacts) are in each state, and due a review."""
    return attention_totals(attention_counts_by_kind(contacts.filter(FOLLOWED), today))


def attention_totals(by_kind: dict[str, dict[str, int]]) -> dict[str, int]:
    """attention_counts_by_kind() summed over the kinds: each state and reviews due."""
    return {
        key: sum(counts[key] for counts in by_kind.values())
        for key in [*TOUCH_STATES, "review_due"]
    }


def attention_counts_by_kind(
    contacts: QuerySet[Contact], today: datetime.date
) -> dict[str, dict[str, int]]:
    """Per kind, in one pass over `contacts`: how many (`n`), and of those stay in
    touch follows, how many are in each state and how many are due a review (a page
    that shows both reads the contacts once)."""
    followed = {
        **{state: Q(touch=i) for i, state in enumerate(TOUCH_STATES)},
        "review_due": _review_due(today),
    }
    rows = _touch_state(_touch_days(contacts), today).order_by().values("kind")
    rows = rows.annotate(
        n=Count("pk"),
        **{key: Count("pk", filter=FOLLOWED & rule) for key, rule in followed.items()},
    )
    return {row.pop("kind"): row for row in rows}


@transaction.atomic
def cadence_set(*, contact: Contact, by: User, ideal_days: int | None, max_days: int | None):
    """A contact's own cadence; empty values go back to the kind's or the default."""
    if ideal_days is None:
        Cadence.objects.filter(contact=contact).delete()
    else:
        Cadence.objects.update_or_create(
            contact=contact,
            defaults={"owner": by, "ideal_days": ideal_days, "max_days": max_days},
        )
    audit_log(actor=by, action=Action.CHANGED, obj=contact, detail="cadence set")


# Evidence and coverage


@transaction.atomic
def evidence_set(*, item, kind: str, by: User, criteria: list[Criterion]) -> None:
    """Link `item` (an activity, review, reflection, testimony or outcome of `by`) to
    exactly `criteria`."""
    links = EvidenceLink.objects.filter(**{kind: item})
    links.exclude(criterion__in=criteria).delete()
    have = set(links.values_list("criterion", flat=True))
    EvidenceLink.objects.bulk_create(
        [EvidenceLink(owner=by, criterion=c, **{kind: item}) for c in criteria if c.pk not in have],
        ignore_conflicts=True,  # a double submit links once
    )


@dataclass
class CriterionCoverage:
    criterion: Criterion
    counts: dict[str, int] = field(default_factory=dict)
    sign_off: SignOff | None = None
    comment: str = ""  # the sign-off's comment as shown (the portfolio pseudonymises it)

    @property
    def state(self) -> str:
        if self.sign_off:
            return "signed_off"
        return "evidenced" if self.counts else "unmapped"

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def by_kind(self) -> list[int]:
        """The counts in the order of EvidenceLink.ITEMS (the matrix's columns)."""
        return [self.counts.get(kind, 0) for kind in EvidenceLink.ITEMS]


def evidence_of(learner: User) -> QuerySet[EvidenceLink]:
    """The learner's evidence links, without private life: an activity or review about
    personal contacts never counts, even if linked before the contact became personal."""
    private_activities = Activity.objects.filter(owner=learner).filter(Activity.personal_rows())
    links = EvidenceLink.objects.filter(owner=learner).exclude(activity__in=private_activities)
    private_reviews = Review.objects.filter(Review.personal_rows(), owner=learner)
    return links.exclude(review__in=private_reviews)


def coverage(learner: User) -> list[tuple[LearningOutcome, list[CriterionCoverage]]]:
    """Each criterion of every unit: unmapped, evidenced (how many items of which
    kinds), or signed off by the assessor. Counts only what `learner` linked."""
    rows = {c.pk: CriterionCoverage(c) for c in Criterion.objects.select_related("outcome__unit")}
    for sign_off in SignOff.objects.filter(learner=learner).select_related("assessor"):
        rows[sign_off.criterion_id].sign_off = sign_off
        rows[sign_off.criterion_id].comment = sign_off.comment
    per_kind = {
        kind: Count("id", filter=Q(**{f"{kind}__isnull": False})) for kind in EvidenceLink.ITEMS
    }
    for row in evidence_of(learner).values("criterion").annotate(**per_kind).order_by():
        for kind in EvidenceLink.ITEMS:
            if row[kind]:
                rows[row["criterion"]].counts[kind] = row[kind]
    outcomes: dict[int, tuple[LearningOutcome, list[CriterionCoverage]]] = {}
    for row in rows.values():
        outcome = row.criterion.outcome
        outcomes.setdefault(outcome.pk, (outcome, []))[1].append(row)
    return [outcomes[pk] for pk in sorted(outcomes, key=lambda pk: _outcome_order(outcomes[pk][0]))]


def _outcome_order(outcome: LearningOutcome) -> tuple[str, int]:
    return (outcome.unit.code, outcome.number)


# Testimonies


class LinkInvalid(Exception):
    """The testimony link is unknown, used or expired (the page does not say which)."""


@transaction.atomic
def testimony_request_create(
    *, contact: Contact, by: User, activities: list[Activity], message: str
) -> tuple[TestimonyRequest, str]:
    """A single-use link for `contact` to testify; returns the request and the token,
    which is never stored (only its hash), so the link can be shown only now."""
    token = new_token()
    request = TestimonyRequest.objects.create(
        owner=by,
        contact=contact,
        message=message,
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=TESTIMONY_LINK_DAYS),
    )
    request.activities.set(activities)
    audit_log(actor=by, action=Action.CREATED, obj=request)
    return request, token


def testimony_request_open(token: str) -> TestimonyRequest:
    request = TestimonyRequest.objects.select_related("owner", "contact").filter(
        token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
    )
    if not token or not (found := request.first()):
        raise LinkInvalid
    return found


def _testimony_create(*, activity_ids: list[int], **fields) -> Testimony:
    testimony = Testimony(submitted_at=timezone.now(), signed_on=timezone.localdate(), **fields)
    testimony.checksum = testimony.compute_checksum(activity_ids)
    testimony.save()
    testimony.activities.set(activity_ids)
    return testimony


@transaction.atomic
def testimony_submit(
    *, token: str, witness_name: str, witness_role: str, relationship: str, text: str
) -> Testimony:
    """An external witness signs through their link. The link is claimed with a
    conditional update, so it works once even if submitted twice at the same time."""
    request = testimony_request_open(token)
    claimed = TestimonyRequest.objects.filter(pk=request.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise LinkInvalid
    testimony = _testimony_create(
        owner=request.owner,
        request=request,
        witness_name=witness_name,
        witness_role=witness_role,
        relationship=relationship,
        text=text,
        activity_ids=list(request.activities.values_list("pk", flat=True)),
    )
    audit_log(actor=None, action=Action.CREATED, obj=testimony, detail="external witness")
    return testimony


@transaction.atomic
def testimony_write(
    *, author: User, owner: User, activities: list[Activity], witness_role: str, text: str
) -> Testimony:
    """A manager testifies for a recruiter in their team about that recruiter's work."""
    if author.role != Role.MANAGER or not owners_visible_to(author).filter(pk=owner.pk).exists():
        raise PermissionDenied("A manager testifies only for the recruiters in their team.")
    work = visible_to(Activity.objects.filter(owner=owner), author)
    if {a.pk for a in activities} - set(work.values_list("pk", flat=True)):
        raise PermissionDenied("A testimony covers only that recruiter's own work.")
    testimony = _testimony_create(
        owner=owner,
        author=author,
        witness_name=author.get_full_name() or author.username,
        witness_role=witness_role,
        relationship=WitnessRelationship.MANAGER,
        text=text,
        activity_ids=[a.pk for a in activities],
    )
    audit_log(actor=author, action=Action.CREATED, obj=testimony)
    return testimony


# Reciprocity

# A relationship is one-sided when, over the last year, at least this many activities
# went one way and the other way had at most a third as many.
ONE_SIDED_MIN = 3
ONE_SIDED_RATIO = 3


@dataclass
class Balance:
    given: int = 0
    received: int = 0
    mutual: int = 0

    @property
    def leaning(self) -> str:
        """'taking' (you mostly receive), 'giving' (you mostly give) or ''."""
        if self.mutual >= max(self.given, self.received):
            return ""  # mostly mutual exchanges: balanced, whatever the rest
        if self.received >= ONE_SIDED_MIN and self.received >= ONE_SIDED_RATIO * self.given:
            return "taking"
        if self.given >= ONE_SIDED_MIN and self.given >= ONE_SIDED_RATIO * self.received:
            return "giving"
        return ""

    @property
    def suggestion(self) -> str:
        if self.leaning == "taking":
            return (
                "You have received much more than you gave: offer something back, such as "
                "an introduction, a referral or market insight."
            )
        if self.leaning == "giving":
            return "You give far more than you get back: ask for a referral or an introduction."
        return ""


def balance_of(contact: Contact) -> Balance:
    """The contact's last year, as reviews.summary keeps it (Contact.year_given, ...)."""
    return Balance(contact.year_given, contact.year_received, contact.year_mutual)


def leaning_rows() -> Q:
    """Balance.leaning as SQL, over a contact's stored year (year_given, ...): not
    mostly mutual, and at least ONE_SIDED_MIN one way at ONE_SIDED_RATIO to one.
    tests/reviews/test_reciprocity.py checks that the two agree."""
    given, received = F("year_given"), F("year_received")
    taking = Q(year_received__gte=ONE_SIDED_MIN) & Q(year_received__gte=ONE_SIDED_RATIO * given)
    giving = Q(year_given__gte=ONE_SIDED_MIN) & Q(year_given__gte=ONE_SIDED_RATIO * received)
    return (Q(year_mutual__lt=given) | Q(year_mutual__lt=received)) & (taking | giving)


def one_sided(
    contacts: QuerySet[Contact], *, limit: int | None = None
) -> list[tuple[Contact, Balance]]:
    """Professional contacts whose last year leans one way, most lopsided first (at
    most `limit`), in one query of each contact's stored year (balance_of). Only
    contacts with enough one way to lean are read: the index contact_year_lopsided holds
    just those, so a team's or the agency's list does not read every contact."""
    enough = Q(year_given__gte=ONE_SIDED_MIN) | Q(year_received__gte=ONE_SIDED_MIN)
    rows = (
        contacts.professional()
        .filter(enough, leaning_rows())
        .select_related("owner")
        .annotate(lopsided=Abs(F("year_given") - F("year_received")))
        .order_by("-lopsided", "pk")
    )
    return [(contact, balance_of(contact)) for contact in (rows[:limit] if limit else rows)]
