"""The network health page's numbers: each chart is a list of (label, value) rows,
drawn as SVG bars and listed as a table from the same rows."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Sum

from accounts.models import User
from consent.deadlines import add_months
from contacts.models import Channel, Contact, Direction, Kind, Outcome, OutcomeKind
from netlog.access import visible_to
from reviews import services
from reviews.models import ActivityDay, Decision, Review

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


@dataclass
class Days:
    """Shared activities per (day, direction) over the last year: the three activity
    charts read their windows from these few hundred rows, one query for all of them,
    summed from the ActivityDay rows reviews.summary keeps (a team's year: a few
    thousand rows, where the log holds hundreds of thousands)."""

    today: datetime.date
    counts: dict[tuple[datetime.date, str], int]

    @classmethod
    def of(cls, days, today: datetime.date) -> "Days":
        """`days`: the ActivityDay rows to count."""
        first = min(_first_week(today), _first_month(today), _year_ago(today))
        rows = (  # and later days: the 12 months' reciprocity counts them, as before
            days.filter(date__gte=first)
            .values_list("date", "direction")
            .annotate(n=Sum("activities"))
            .order_by()
        )
        return cls(today, {(day, direction): n for day, direction, n in rows})

    def by(self, key, first: datetime.date, direction: str | None = None) -> dict:
        """Counts from `first` to today (of one direction, or all), summed by key(day)."""
        totals: dict = {}
        for (day, way), n in self.counts.items():
            if first <= day <= self.today and direction in (None, way):
                totals[key(day)] = totals.get(key(day), 0) + n
        return totals

    def total(self, first: datetime.date, direction: str) -> int:
        """Counts of one direction from `first` on, later days included (an activity
        dated ahead, which only the admin allows, counts as it does in a contact's
        balance)."""
        return sum(n for (day, way), n in self.counts.items() if day >= first and way == direction)


def _first_week(today: datetime.date) -> datetime.date:
    return _monday(today) - datetime.timedelta(weeks=WEEKS - 1)


def _first_month(today: datetime.date) -> datetime.date:
    return add_months(today.replace(day=1), -11)


def _year_ago(today: datetime.date) -> datetime.date:
    """The first day of the last 12 months (services.YEAR, as one_sided counts)."""
    return today - services.YEAR + datetime.timedelta(days=1)


def activity_per_week(days: Days) -> Chart:
    first = _first_week(days.today)
    counts = days.by(_monday, first)
    weeks = [first + datetime.timedelta(weeks=i) for i in range(WEEKS)]
    rows = [(f"w/c {week:%d %b}", counts.get(week, 0)) for week in weeks]
    return Chart("activity", f"Activities logged per week (last {WEEKS} weeks)", rows)


def contacts_by_kind(by_kind: dict[str, dict[str, int]]) -> Chart:
    """`by_kind`: services.attention_counts_by_kind()."""
    rows = [(label, by_kind.get(value, {}).get("n", 0)) for value, label in Kind.choices]
    return Chart("kinds", "Contacts by relationship", rows)


def contacts_by_state(by_kind: dict[str, dict[str, int]]) -> Chart:
    totals = services.attention_totals(by_kind)
    states = {state: totals[state] for state in ["ok", "due", "overdue"]}
    labels = {"ok": "In touch", "due": "Due (past the ideal gap)", "overdue": "Overdue"}
    rows = [(labels[state], n) for state, n in states.items()]
    return Chart("stay-in-touch", "Professional contacts by stay-in-touch state", rows)


def review_decisions(reviews) -> Chart:
    counts = dict(reviews.values_list("decision").annotate(n=Count("id")).order_by())
    rows = [(label, counts.get(value, 0)) for value, label in Decision.choices]
    return Chart("decisions", "Review decisions", rows)


def reciprocity(days: Days) -> Chart:
    rows = [
        (label, days.total(_year_ago(days.today), direction))
        for direction, label in [
            (Direction.GIVEN, "Given"),
            (Direction.RECEIVED, "Received"),
            (Direction.MUTUAL, "Mutual"),
        ]
    ]
    return Chart("reciprocity", "Value given and received (last 12 months)", rows)


def reciprocity_by_month(days: Days) -> list[tuple[str, int, int, int]]:
    """(month, given, received, mutual) for the last 12 months, oldest first: whether
    the balance is shifting over time."""
    first = _first_month(days.today)
    months = [add_months(first, i) for i in range(12)]
    by_direction = [
        days.by(lambda day: day.replace(day=1), first, direction)
        for direction in (Direction.GIVEN, Direction.RECEIVED, Direction.MUTUAL)
    ]
    return [
        (f"{month:%b %Y}", *(counts.get(month, 0) for counts in by_direction)) for month in months
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
    days = Days.of(visible_to(ActivityDay.objects.all(), user), today)
    by_kind = services.attention_counts_by_kind(contacts, today)
    by_channel = outcomes_by_channel(visible_to(Outcome.objects.all(), user))
    return {
        "charts": [
            activity_per_week(days),
            contacts_by_kind(by_kind),
            contacts_by_state(by_kind),
            review_decisions(visible_to(Review.objects.all(), user)),
            reciprocity(days),
            placements_by_channel(by_channel),
            coverage_states(learner),
        ],
        "by_channel": by_channel,
        "by_month": reciprocity_by_month(days),
        "outcome_kinds": OutcomeKind.choices,
        "one_sided": services.one_sided(contacts, limit=20),
    }
