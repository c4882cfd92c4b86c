"""The network health page's numbers: each chart is a list of (label, value) rows,
drawn as SVG bars and listed as a table from the same rows."""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek

from accounts.models import User
from consent.deadlines import add_months
from contacts.models import Activity, Channel, Contact, Direction, Kind, Outcome, OutcomeKind
from netlog.access import owners_visible_to, visible_to
from reviews import services
from reviews.models import Decision, Review

WEEKS = 12


@dataclass
class Chart:
    slug: str
    title: str
    rows: list[tuple[str, int]]
    unit: str = ""

    @property
    def top(self) -> int:
        return max([value for _, value in self.rows] + [1])

    @property
    def total(self) -> int:
        return sum(value for _, value in self.rows)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def activity_per_week(activities, today: datetime.date) -> Chart:
    first = _monday(today) - datetime.timedelta(weeks=WEEKS - 1)
    counts = {
        row["week"].date() if hasattr(row["week"], "date") else row["week"]: row["n"]
        for row in activities.filter(date__gte=first, date__lte=today)
        .annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by()
    }
    weeks = [first + datetime.timedelta(weeks=i) for i in range(WEEKS)]
    rows = [(f"w/c {week:%d %b}", counts.get(week, 0)) for week in weeks]
    return Chart("activity", f"Activities logged per week (last {WEEKS} weeks)", rows)


def contacts_by_kind(contacts) -> Chart:
    counts = dict(contacts.values_list("kind").annotate(n=Count("id")).order_by())
    rows = [(label, counts.get(value, 0)) for value, label in Kind.choices]
    return Chart("kinds", "Contacts by relationship", rows)


def contacts_by_state(contacts, today: datetime.date) -> Chart:
    counts = services.attention_counts(contacts, today)
    states = {state: counts[state] for state in ["ok", "due", "overdue"]}
    labels = {"ok": "In touch", "due": "Due (past the ideal gap)", "overdue": "Overdue"}
    rows = [(labels[state], n) for state, n in states.items()]
    return Chart("stay-in-touch", "Professional contacts by stay-in-touch state", rows)


def review_decisions(reviews) -> Chart:
    counts = dict(reviews.values_list("decision").annotate(n=Count("id")).order_by())
    rows = [(label, counts.get(value, 0)) for value, label in Decision.choices]
    return Chart("decisions", "Review decisions", rows)


def reciprocity(activities, today: datetime.date) -> Chart:
    since = today - services.YEAR
    balance = services.directions(activities.filter(date__gt=since))
    rows = [
        ("Given", balance["given"]),
        ("Received", balance["received"]),
        ("Mutual", balance["mutual"]),
    ]
    return Chart("reciprocity", "Value given and received (last 12 months)", rows)


def reciprocity_by_month(activities, today: datetime.date) -> list[tuple[str, int, int, int]]:
    """(month, given, received, mutual) for the last 12 months, oldest first: whether
    the balance is shifting over time."""
    first = add_months(today.replace(day=1), -11)
    counts = {}
    rows = (
        activities.filter(date__gte=first, date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values_list("month", "direction")
        .annotate(n=Count("id"))
        .order_by()
    )
    for month, direction, n in rows:
        month = month.date() if hasattr(month, "date") else month
        counts[(month, direction)] = n
    months = [add_months(first, i) for i in range(12)]
    return [
        (
            f"{month:%b %Y}",
            counts.get((month, Direction.GIVEN), 0),
            counts.get((month, Direction.RECEIVED), 0),
            counts.get((month, Direction.MUTUAL), 0),
        )
        for month in months
    ]


def outcomes_by_channel(outcomes) -> list[tuple[str, dict[str, int]]]:
    """For each source channel, outcomes by kind, counting an outcome once per channel
    of the contacts it is attributed to."""
    rows = (
        outcomes.filter(contacts__kind__in=Kind.professional())
        .values_list("contacts__source_channel", "kind")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    table = {value: {kind: 0 for kind in OutcomeKind.values} for value in Channel.values}
    for channel, kind, n in rows:
        table[channel][kind] = n
    return [(label, table[value]) for value, label in Channel.choices]


def placements_by_channel(by_channel) -> Chart:
    rows = [
        (label, kinds[OutcomeKind.PLACEMENT] + kinds[OutcomeKind.CLIENT_WON])
        for label, kinds in by_channel
    ]
    return Chart("channels", "Placements and clients won, by how the contact was met", rows)


def coverage_states(learner: User | None) -> Chart:
    counts = {"unmapped": 0, "evidenced": 0, "signed_off": 0}
    for _, rows in services.coverage(learner) if learner else []:
        for row in rows:
            counts[row.state] += 1
    labels = {"unmapped": "Unmapped", "evidenced": "Evidenced", "signed_off": "Signed off"}
    return Chart("coverage", "Criteria by evidence", [(labels[k], n) for k, n in counts.items()])


def network_health(user: User, today: datetime.date, learner: User | None) -> dict:
    contacts = visible_to(Contact.objects.all(), user)
    activities = visible_to(Activity.objects.all(), user)
    work = activities.exclude(Activity.personal_rows(owners=owners_visible_to(user)))
    by_channel = outcomes_by_channel(visible_to(Outcome.objects.all(), user))
    return {
        "charts": [
            activity_per_week(work, today),
            contacts_by_kind(contacts),
            contacts_by_state(contacts, today),
            review_decisions(visible_to(Review.objects.all(), user)),
            reciprocity(work, today),
            placements_by_channel(by_channel),
            coverage_states(learner),
        ],
        "by_channel": by_channel,
        "by_month": reciprocity_by_month(work, today),
        "outcome_kinds": OutcomeKind.choices,
        "one_sided": services.one_sided(contacts, today, limit=20),
    }
