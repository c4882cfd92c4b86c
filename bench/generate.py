"""A synthetic network at agency scale, fast and repeatable, for measuring netlog with
the data it will hold (`manage.py generate_network`).

Everything comes from one `random.Random(seed)` stream drawn in a fixed order, with
dates counted back from `today`: the same seed and day give the same rows. Primary
keys are reserved up front and computed here, so link rows point at them without
reading anything back. On PostgreSQL rows go in by COPY, CHUNK rows of a table group
at a time, sent by a second thread while the next chunk is made (memory stays flat,
and Python and the server work at once); elsewhere by executemany in batches (small
scales only). The generated users' names start with PREFIX; `network_delete` removes
them with every row that hangs off them, in bulk.
"""

import bisect
import csv
import datetime
import io
import itertools
import json
import math
import queue
import random
import threading
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Role, Team, User
from bench.words import (
    AGENCY_WORDS,
    COMMUNITIES,
    EVENTS,
    FIRST_NAMES,
    LAST_NAMES,
    LEGITIMATE_INTERESTS,
    NEXT_ACTIONS,
    NOTES,
    ORG_ENDINGS,
    ORG_SECTORS,
    ORG_STEMS,
    OUTCOMES,
    PERSONAL_NOTES,
    PERSONAL_SUMMARIES,
    PLACES,
    PURPOSE_SETS,
    RATIONALES,
    REFLECTIONS,
    RESULT_TEXT,
    ROLES,
    SUMMARIES,
    TAG_NAMES,
)
from consent.deadlines import add_months
from consent.models import (
    Basis,
    ConsentEvent,
    ConsentRecord,
    DeliveryMethod,
    LawfulBasisRecord,
    Method,
    NoticeDelivery,
    PrivacyNotice,
)
from contacts.models import (
    Activity,
    ActivityType,
    Channel,
    Contact,
    Direction,
    Kind,
    Outcome,
    OutcomeKind,
    Tag,
)
from reviews.models import ActivityDay, Cadence, Decision, Reflection, Review
from reviews.summary import activity_days_recount, contacts_summarise

PREFIX = "bench-"
CHUNK = 50_000  # rows of a group's main table per COPY
DEFER_INDEXES_FROM = 100_000  # rows loaded into a table at once (PostgreSQL; see _CopySink)
DAYS = 3 * 365  # the network's history; day DAYS - 1 is yesterday
AHEAD = 120  # days after today that follow-ups and next actions may fall on

Log = Callable[[str], None]


@dataclass(frozen=True)
class Scale:
    recruiters: int
    contacts: int
    activities: int

    @property
    def teams(self) -> int:
        return max(1, math.ceil(self.recruiters / 10))


SCALES = {
    "small": Scale(recruiters=5, contacts=5_000, activities=50_000),
    "agency": Scale(recruiters=50, contacts=250_000, activities=2_500_000),
}

# --- Words. Fictional people and organisations; e-mail under reserved example
# domains, phone numbers from Ofcom's drama ranges. No free text mentions anything the
# special-category guard looks for. Word lists are text split up (noqa: SIM905): a
# list literal would take a line per name.

KINDS = [Kind.CANDIDATE, Kind.CLIENT, Kind.HIRING_MANAGER, Kind.REFERRER, Kind.INDUSTRY_PEER]
KINDS.append(Kind.PERSONAL)
PERSONAL = len(KINDS) - 1
KIND_WEIGHTS = [55, 12, 12, 8, 8, 5]
CHANNELS = list(Channel)
CHANNEL_WEIGHTS = {  # job board, LinkedIn, referral, event, inbound, other
    Kind.CANDIDATE: [30, 35, 12, 8, 12, 3],
    Kind.CLIENT: [0, 30, 25, 20, 15, 10],
    Kind.HIRING_MANAGER: [0, 35, 25, 20, 10, 10],
    Kind.REFERRER: [0, 30, 15, 35, 0, 20],
    Kind.INDUSTRY_PEER: [0, 30, 0, 50, 0, 20],
    Kind.PERSONAL: [0, 0, 10, 10, 0, 80],
}
TYPES = list(ActivityType)  # email call meeting event linkedin given received other
TYPE_WEIGHTS = {
    Kind.CANDIDATE: [30, 28, 8, 3, 20, 5, 0, 6],
    Kind.CLIENT: [30, 25, 25, 5, 8, 3, 4, 3],
    Kind.HIRING_MANAGER: [30, 25, 25, 5, 8, 3, 4, 3],
    Kind.REFERRER: [20, 20, 5, 15, 15, 0, 25, 0],
    Kind.INDUSTRY_PEER: [20, 20, 10, 30, 15, 5, 0, 0],
}
BASES = {  # none, consent, legitimate interests, contract, legal obligation
    Kind.CANDIDATE: [12, 58, 27, 0, 3],
    Kind.CLIENT: [8, 0, 57, 35, 0],
    Kind.HIRING_MANAGER: [12, 8, 80, 0, 0],
    Kind.REFERRER: [12, 8, 80, 0, 0],
    Kind.INDUSTRY_PEER: [12, 8, 80, 0, 0],
    Kind.PERSONAL: [100, 0, 0, 0, 0],
}
EMAIL_SHARE = [0.8, 0.85, 0.85, 0.7, 0.75, 0.3]  # by kind, as KINDS
PHONES = ["07700 900{:03d}", "+44 7700 900{:03d}", "020 7946 0{:03d}", "0113 496 0{:03d}"]
INDIRECT = set(Channel.indirect())
DELIVERY_METHODS = list(DeliveryMethod)
PERSONAL_TYPE = ActivityType.OTHER
LEADS = {ActivityType.CALL, ActivityType.MEETING, ActivityType.EMAIL}  # may end in a result
NOTABLE = {ActivityType.EVENT, ActivityType.MEETING}  # worth a reflection
PAIRS = {ActivityType.MEETING, ActivityType.REFERRAL_GIVEN, ActivityType.REFERRAL_RECEIVED}
DIRECTIONS = list(Direction)  # given, received, mutual
DIRECTION_WEIGHTS = {
    ActivityType.REFERRAL_GIVEN: [1, 0, 0],
    ActivityType.REFERRAL_RECEIVED: [0, 1, 0],
    ActivityType.EVENT: [10, 50, 40],
}
ACTIVITY_LEVELS = [1, 3, 6, 13]  # activities logged: 0 is level 1, 1-2 level 2, ... 13+ 5
VALUE_BASE = [3, 4, 4, 3, 2]  # by kind, as KINDS
GAPS = [(14, 30), (30, 60), (45, 90), (60, 120), (90, 180)]  # cadences: ideal, maximum days
CONTACT_CADENCES = 15  # per recruiter, for key relationships
CONTACT_COLUMNS = (
    *("id", "owner_id", "first_name", "last_name", "kind", "source_channel", "organisation"),
    *("role", "email", "phone", "profile_url", "notes", "lawful_basis", "consent_expires_on"),
    *("notice_delivered_on", "created_at", "updated_at", "last_decision", "year_given"),
    *("year_received", "year_mutual"),
)
ACTIVITY_COLUMNS = (
    *("id", "owner_id", "date", "type", "context", "summary", "outcome", "direction"),
    *("follow_up_on", "follow_up_done_at", "erased_people", "private", "created_at"),
    "updated_at",
)
OUTCOME_COLUMNS = (
    *("id", "owner_id", "kind", "date", "value", "notes", "erased_people", "created_at"),
)
REVIEW_COLUMNS = (
    *("id", "owner_id", "contact_id", "reviewed_on", "value", "activity", "potential"),
    *("suggested_activity", "rationale", "decision", "next_actions", "next_action_on"),
    *("next_action_done_at", "created_at"),
)
REVIEW_SHARE = 0.2
OUTCOME_SHARE = 0.009  # of activities, roughly a recruiter's results over three years


def _weighted(rnd: Callable[[], float], items: list, weights: list[float]) -> Callable:
    """A fast weighted choice: rng.choices builds its table on every call."""
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]
    return lambda: items[bisect.bisect(cumulative, rnd() * total)]


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` in whole parts proportional to `weights` (largest remainder)."""
    scale = sum(weights) or 1
    exact = [total * w / scale for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


# --- Where the rows go.


class _Table:
    """One table's rows waiting to be written, and what has been written so far."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.columns = columns
        self.fields = [model._meta.get_field(c) for c in columns]
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        # csv writes both None and "" as an empty field; COPY reads it as NULL except
        # in the columns named in FORCE_NOT_NULL: the ones that cannot be null.
        names = ", ".join(f'"{f.column}"' for f in self.fields)
        not_null = ", ".join(f'"{f.column}"' for f in self.fields if not f.null)
        self.copy_sql = (
            f'COPY "{self.name}" ({names}) FROM STDIN '
            f"WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
        )
        self.rows: list[tuple] = []
        self.written = 0
        self.seconds = 0.0
        self.deferred: list[str] = []  # indexes and keys to put back after the load
        self.restore_seconds = 0.0


class _Sink:
    """Buffers rows per table; `flush` writes every table's rows, parents first (in the
    order the tables were declared). Ids are reserved per table before any row of it.
    Used as a context manager inside the group's transaction: leaving it writes what
    is left. This one, for SQLite and the rest, inserts by executemany in batches:
    bulk_create would stamp `updated_at` (auto_now) with the time of the run, and the
    same seed must give the same rows."""

    def __init__(self) -> None:
        self.tables: dict[type[models.Model], _Table] = {}
        self._next_id: dict[str, int] = {}

    def __enter__(self) -> "_Sink":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()

    def table(self, model: type[models.Model], *columns: str, rows: int = 0) -> list[tuple]:
        """The buffer to append `model`'s rows to; `rows`: about how many will come."""
        if model not in self.tables:
            self.tables[model] = _Table(model, columns)
        return self.tables[model].rows

    def reserve(self, model: type[models.Model], count: int) -> int:
        """The first of `count` consecutive free ids of `model`'s table."""
        table = model._meta.db_table
        if table not in self._next_id:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
                self._next_id[table] = (cursor.fetchone()[0] or 0) + 1
        first = self._next_id[table]
        self._next_id[table] += count
        return first

    def flush(self) -> None:
        for table in self.tables.values():
            if table.rows:
                rows, table.rows[:] = table.rows[:], []
                table.written += len(rows)
                self._write(table, rows)

    def close(self) -> None:
        self.flush()

    def abandon(self) -> None:
        """The group failed: its transaction rolls back, nothing more to write."""

    def _write(self, table: _Table, rows: list[tuple]) -> None:
        started = time.perf_counter()
        prepare = [f.get_db_prep_save for f in table.fields]
        values = [[p(v, connection) for p, v in zip(prepare, row, strict=True)] for row in rows]
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(table.name),
            ", ".join(quote(f.column) for f in table.fields),
            ", ".join(["%s"] * len(table.fields)),
        )
        with connection.cursor() as cursor:
            for start in range(0, len(values), 1000):
                cursor.executemany(sql, values[start : start + 1000])
        table.seconds += time.perf_counter() - started


class _CopySink(_Sink):
    """PostgreSQL: COPY in CSV, sent by a worker thread so the next chunk is made while
    the server takes this one. Foreign keys are checked per statement (not queued to
    the commit), so the order of the tables matters and memory on the server stays
    small; the worker uses the same connection and so the same transaction."""

    def __init__(self) -> None:
        super().__init__()
        connection.ensure_connection()
        self._raw = connection.connection
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._worker = threading.Thread(target=self._work, daemon=True)
        self._worker.start()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def table(self, model: type[models.Model], *columns: str, rows: int = 0) -> list[tuple]:
        buffer = super().table(model, *columns)
        if rows >= max(DEFER_INDEXES_FROM, 1):
            self._defer_upkeep(self.tables[model], rows)
        return buffer

    def _defer_upkeep(self, table: _Table, rows: int) -> None:
        """When the load is at least as big as the table, take its plain indexes and
        its foreign keys off, to put them back in `close`: PostgreSQL then builds each
        index over all rows at once and checks each key with one join, a fraction of
        the cost of doing both row by row (a trigram index, a lookup per key). All in
        the group's transaction: on failure everything is back as it was, and a key
        that does not hold fails the commit. The table is locked until then."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {connection.ops.quote_name(table.name)} "
                "LIMIT %s) s",
                [rows + 1],
            )
            if cursor.fetchone()[0] > rows:
                return
            table.deferred = _take_off(cursor, _plain_indexes(cursor, table.name))
            table.deferred += _take_off(cursor, _foreign_keys(cursor, of=[table.name]))

    def reserve(self, model: type[models.Model], count: int) -> int:
        """Moves the table's sequence past the block, so later inserts never collide."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(s, nextval(s) + %s - 1) FROM pg_get_serial_sequence(%s, 'id') s",
                [max(count, 1), model._meta.db_table],
            )
            return cursor.fetchone()[0] - max(count, 1) + 1

    def _write(self, table: _Table, rows: list[tuple]) -> None:
        if self._error:
            raise self._error
        self._queue.put((table, rows))

    def close(self) -> None:
        self.flush()
        self._queue.put(None)
        self._worker.join()
        if self._error:
            raise self._error
        self._restore()

    def abandon(self) -> None:
        self._error = self._error or RuntimeError("abandoned")  # the worker skips the rest
        self._queue.put(None)
        self._worker.join()

    def _restore(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for table in self.tables.values():
                started = time.perf_counter()
                for definition in table.deferred:
                    cursor.execute(definition)
                table.restore_seconds = time.perf_counter() - started

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error:
                continue  # drain: the main thread raises at its next write
            table, rows = item
            try:
                self._copy(table, rows)
            except BaseException as error:  # handed to the main thread
                self._error = error

    def _copy(self, table: _Table, rows: list[tuple]) -> None:
        started = time.perf_counter()
        if table.json:
            rows = [
                tuple(json.dumps(v) if i in table.json else v for i, v in enumerate(row))
                for row in rows
            ]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        buffer.seek(0)
        with self._raw.cursor() as cursor:
            cursor.copy_expert(table.copy_sql, buffer)
        table.seconds += time.perf_counter() - started


def _plain_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(DROP, CREATE) statements of the indexes of `table` that no constraint uses."""
    cursor.execute(
        """
        SELECT format('DROP INDEX %%s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY i.indexrelid::regclass::text
        """,
        [table],
    )
    return cursor.fetchall()


def _foreign_keys(
    cursor, *, of: Sequence[str] = (), to: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(DROP, ADD) statements of the foreign keys of the tables `of`, or to the `to`."""
    cursor.execute(
        """
        SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),
               format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,
                      pg_get_constraintdef(oid))
        FROM pg_constraint
        WHERE contype = 'f'
          AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[]))
        ORDER BY conrelid::regclass::text, conname
        """,
        [list(of), list(to)],
    )
    return cursor.fetchall()


def _take_off(cursor, statements: list[tuple[str, str]]) -> list[str]:
    """Run the DROPs; return the statements that put it all back."""
    for drop, _ in statements:
        cursor.execute(drop)
    return [restore for _, restore in statements]


def _sink() -> _Sink:
    return _CopySink() if connection.vendor == "postgresql" else _Sink()


# --- The network.


@dataclass
class _Recruiter:
    user_id: int
    joined: int  # day they started logging
    contacts: int
    activities: int
    tags: list[int] = field(default_factory=list)
    first_contact_id: int = 0
    # Per contact, by position (ids are first_contact_id + position, in order of adding).
    days: list[int] = field(default_factory=list)
    kinds: bytearray = field(default_factory=bytearray)
    names: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    hot: list[int] = field(default_factory=list)  # positions of key relationships
    logged: array = field(default_factory=lambda: array("I"))  # activities per contact
    last_activity: array = field(default_factory=lambda: array("q"))
    results: list[tuple] = field(default_factory=list)  # activities that led somewhere
    notable: list[tuple] = field(default_factory=list)  # events worth a reflection
    reviews: dict[int, int] = field(default_factory=dict)  # position: latest review id


class _Network:
    """One generation run: the random stream, the calendar and what later tables need
    to know of earlier ones (kept small: a few values per contact)."""

    def __init__(self, *, scale: Scale, seed: int, today: datetime.date, log: Log) -> None:
        self.scale, self.log = scale, log
        self.rng = random.Random(seed)
        self.rnd = self.rng.random
        start = today - datetime.timedelta(days=DAYS)
        self.dates = [start + datetime.timedelta(days=d) for d in range(DAYS + AHEAD)]
        self.midnights = [
            datetime.datetime.combine(d, datetime.time(), tzinfo=datetime.UTC) for d in self.dates
        ]
        self.last = DAYS - 1
        self.recruiters: list[_Recruiter] = []
        self.counts: dict[str, int] = {}
        pick = self.rng.sample
        combos = [f"{s} {w}" for s in ORG_STEMS for w in ORG_SECTORS]
        self.orgs = [o + self.rng.choice(ORG_ENDINGS) for o in pick(combos, 400)]
        self.agencies = pick([f"{s} {w}" for s in ORG_STEMS for w in AGENCY_WORDS], 40)
        self.domains = {o: _slug(o.removesuffix(" Ltd").removesuffix(" plc")) for o in self.orgs}
        self.domains.update({o: _slug(o) for o in self.agencies + COMMUNITIES})
        weights = [1 / (rank + 25) for rank in range(len(LAST_NAMES))]
        self.last_name = _weighted(self.rnd, LAST_NAMES, weights)
        self.weekday = [d.weekday() for d in self.dates]
        self.channel_of = {k: _weighted(self.rnd, CHANNELS, w) for k, w in CHANNEL_WEIGHTS.items()}
        self.type_of = {k: _weighted(self.rnd, TYPES, w) for k, w in TYPE_WEIGHTS.items()}
        plans = ["", Basis.CONSENT, Basis.LEGITIMATE_INTERESTS, Basis.CONTRACT]
        plans.append(Basis.LEGAL_OBLIGATION)
        self.basis_of = {k: _weighted(self.rnd, plans, w) for k, w in BASES.items()}
        self.method_of = _weighted(self.rnd, list(Method), [50, 25, 15, 10])
        self.direction_of = {
            t: _weighted(self.rnd, DIRECTIONS, DIRECTION_WEIGHTS.get(t, [32, 18, 50]))
            for t in TYPES
        }
        self.middling_decision = _weighted(
            self.rnd, [Decision.MAINTAIN, Decision.STRENGTHEN, Decision.DISCONTINUE], [8, 1, 1]
        )
        self.notice_on: list[int | None] = []

    # helpers

    def stamp(self, day: int) -> datetime.datetime:
        """A moment in the working day of `day` (UTC 07:30 to 18:30: the same date in
        London)."""
        return self.midnights[day] + datetime.timedelta(seconds=27_000 + int(self.rnd() * 39_600))

    def later(self, day: int, low: int, high: int) -> int:
        """A day `low` to `high` days after `day`, at most yesterday."""
        return min(day + self.rng.randint(low, high), self.last)

    def report(self, group: str, sink: _Sink, started: float) -> None:
        self.log(f"{group}: {time.perf_counter() - started:.1f} s")
        for table in sink.tables.values():
            self.counts[table.name] = self.counts.get(table.name, 0) + table.written
            line = f"  {table.name:<32} {table.written:>10,} rows  {table.seconds:6.1f} s"
            if table.deferred:
                line += f", indexes and keys back in {table.restore_seconds:.1f} s"
            self.log(line)

    def progress(self, what: str, done: int, total: int, started: float) -> None:
        self.log(f"  {what}: {done:,} / {total:,} ({time.perf_counter() - started:.0f} s)")

    # users

    def users(self, password: str | None) -> None:
        started = time.perf_counter()
        encoded = make_password(password)  # one hash for all: set for manual testing only
        joined = self.midnights[0]
        rng = self.rng

        def user(username: str, role: str, team: Team | None = None) -> User:
            return User(
                username=username,
                first_name=rng.choice(FIRST_NAMES),
                last_name=self.last_name(),
                email=f"{username}@example.com",
                role=role,
                team=team,
                password=encoded,
                date_joined=joined,
            )

        with transaction.atomic():
            managers = [user(f"{PREFIX}m{n}", Role.MANAGER) for n in range(1, self.scale.teams + 1)]
            User.objects.bulk_create(managers)
            teams = [Team(name=f"Bench team {n}", manager=m) for n, m in enumerate(managers, 1)]
            Team.objects.bulk_create(teams)
            width = max(2, len(str(self.scale.recruiters)))
            people = [
                user(
                    f"{PREFIX}r{n:0{width}}",
                    Role.RECRUITER,
                    teams[(n - 1) * len(teams) // max(self.scale.recruiters, 1)],
                )
                for n in range(1, self.scale.recruiters + 1)
            ]
            User.objects.bulk_create(people)
            ids = dict(
                User.objects.filter(username__startswith=PREFIX).values_list("username", "pk")
            )
        sizes = [rng.uniform(0.5, 1.5) for _ in people]
        contacts = _split(self.scale.contacts, sizes)
        activities = _split(
            self.scale.activities, [s * c for s, c in zip(sizes, contacts, strict=True)]
        )
        for person, n_contacts, n_activities in zip(people, contacts, activities, strict=True):
            joined_on = rng.randint(0, 30) if rng.random() < 0.7 else rng.randint(60, 700)
            self.recruiters.append(
                _Recruiter(ids[person.username], joined_on, n_contacts, n_activities)
            )
        self.counts["accounts_user"] = len(ids)
        self.counts["accounts_team"] = len(teams)
        self.log(
            f"users: {len(ids)} users, {len(teams)} teams in {time.perf_counter() - started:.1f} s"
        )

    # contacts, their tags and their lawful basis, consent and notice history

    def contacts(self) -> None:
        started = time.perf_counter()
        rng, total = self.rng, self.scale.contacts
        pools = [rng.sample(TAG_NAMES, rng.randint(12, 30)) for _ in self.recruiters]
        self.notice_on = self._privacy_notices()
        with transaction.atomic(), _sink() as sink:
            tags = sink.table(Tag, "id", "owner_id", "name")
            out = _ContactTables(sink, total)
            tag_id = sink.reserve(Tag, sum(map(len, pools)))
            contact_id = sink.reserve(Contact, total)
            out.reserve(sink, total)

            def tick() -> None:
                sink.flush()
                self.progress("contacts", sink.tables[Contact].written, total, started)

            for r, pool in zip(self.recruiters, pools, strict=True):
                r.tags = list(range(tag_id, tag_id + len(pool)))
                tags.extend((i, r.user_id, name) for i, name in zip(r.tags, pool, strict=True))
                tag_id += len(pool)
                r.first_contact_id, contact_id = contact_id, contact_id + r.contacts
                self._network_of(r, out, tick)
        self.report("contacts", sink, started)

    def _privacy_notices(self) -> list[int | None]:
        """The notice version in force on each day (the oldest before the first): the
        existing versions, or two made here if there are none (they stay: other
        people's records may come to point at them)."""
        if not PrivacyNotice.objects.exists():
            text = "Bench agency privacy notice, version {}: what we hold and why (synthetic)."
            for version, day in ((1, 0), (2, 600)):
                PrivacyNotice.objects.create(
                    version=version, text=text.format(version), published_on=self.dates[day]
                )
        notices = list(PrivacyNotice.objects.order_by("published_on", "version"))
        published = [n.published_on for n in notices]
        return [notices[max(bisect.bisect_right(published, date) - 1, 0)].pk for date in self.dates]

    def _network_of(self, r: _Recruiter, out: "_ContactTables", tick: Callable) -> None:
        rng, rnd, n = self.rng, self.rnd, r.contacts
        span = self.last - r.joined + 1
        # Some arrive at once when they start (an import of their connections).
        days = sorted(
            r.joined if rnd() < 0.08 else r.joined + int(span * rnd() ** 0.85) for _ in range(n)
        )
        kind_of = _weighted(rnd, list(range(len(KINDS))), KIND_WEIGHTS)
        tag_count = _weighted(rnd, [0, 1, 2, 3, 4], [25, 40, 25, 8, 2])
        emails: set[str] = set()
        lasts: list[str] = []
        for position, day in enumerate(days):
            contact_id = r.first_contact_id + position
            k = kind_of()
            kind = KINDS[k]
            channel = self.channel_of[kind]()
            first, last = rng.choice(FIRST_NAMES), self.last_name()
            org, role = self._work_of(k)
            if position and rnd() < 0.01:  # the same person twice: work for the merge page
                other = rng.randrange(position)
                first, last, org = r.names[other], lasts[other], r.orgs[other]
            email = self._email(k, first, last, org, emails) if rnd() < EMAIL_SHARE[k] else ""
            phone = self._phone() if rnd() < (0.6 if k == PERSONAL else 0.5) else ""
            share = 0.95 if channel == Channel.LINKEDIN else 0.05 if k == PERSONAL else 0.4
            url = ""
            if rnd() < share:
                handle = f"{first}-{last}".lower().replace("'", "")
                url = f"https://www.linkedin.com/in/{handle}-{rng.getrandbits(32):08x}"
            notes = ""
            if rnd() < (0.3 if k == PERSONAL else 0.15):
                notes = rng.choice(PERSONAL_NOTES if k == PERSONAL else NOTES)
            created = self.stamp(day)
            basis, expires, noticed, touched = self._history(
                contact_id, r.user_id, k, channel, day, out
            )
            out.contacts.append(
                (contact_id, r.user_id, first, last, kind, channel, org, role, email, phone)
                + (url, notes, basis, expires, noticed, created, max(created, touched or created))
                + ("", 0, 0, 0)  # the summary is worked out once all is in (network_generate)
            )
            for tag in rng.sample(r.tags, tag_count()):
                out.tags.append((out.tag_id(), contact_id, tag))
            r.kinds.append(k)
            r.names.append(first)
            lasts.append(last)
            r.orgs.append(org)
            r.roles.append(role)
            if len(out.contacts) >= CHUNK:
                tick()
        r.days = days
        professional = [p for p in range(n) if r.kinds[p] != PERSONAL]
        if professional:
            r.hot = sorted(rng.sample(professional, max(1, len(professional) // 25)))
        r.logged = array("I", [0]) * n
        r.last_activity = array("q", [0]) * n

    def _work_of(self, k: int) -> tuple[str, str]:
        """Organisation and job title for a contact of kind KINDS[k]."""
        rng, rnd, kind = self.rng, self.rnd, KINDS[k]
        if k == PERSONAL:
            return (rng.choice(self.orgs) if rnd() < 0.2 else ""), ""
        if kind == Kind.INDUSTRY_PEER:
            org = rng.choice(self.agencies)
        elif kind == Kind.REFERRER:
            org = rng.choice(COMMUNITIES) if rnd() < 0.4 else rng.choice(self.orgs + [""])
        elif kind == Kind.CANDIDATE:
            org = rng.choice(self.orgs) if rnd() < 0.75 else ""
        else:
            org = rng.choice(self.orgs)
        return org, rng.choice(ROLES[kind])

    def _email(self, k: int, first: str, last: str, org: str, taken: set[str]) -> str:
        """Unique per owner whatever the case (the database holds it to that)."""
        rng = self.rng
        local = f"{first}.{last}".replace("'", "")
        if self.rnd() < 0.9:
            local = local.lower()  # the rest keep their capitals, as people type them
        if org and k != PERSONAL and self.rnd() < 0.8:
            domain = f"{self.domains[org]}.example"
        else:
            domain = rng.choice(["example.com", "example.org", "example.net"])
        email, n = f"{local}@{domain}", 1
        while email.lower() in taken:
            n += 1
            email = f"{local}{n}@{domain}"
        taken.add(email.lower())
        return email

    def _phone(self) -> str:
        number = self.rng.randrange(1000)
        return self.rng.choice(PHONES).format(number)

    def _history(
        self, contact_id: int, owner: int, k: int, channel: str, day: int, out: "_ContactTables"
    ) -> tuple[str, datetime.date | None, datetime.date | None, datetime.datetime | None]:
        """Basis, consent and notice records for one contact, oldest first, and the
        current state they give (what consent_state_rebuild works out): the newest
        basis, the newest consent's expiry (none once withdrawn), the first notice;
        and when the last of them was recorded."""
        basis, expires, touched = "", None, None
        plan = self.basis_of[KINDS[k]]()
        if plan:
            basis, expires, touched = self._basis_history(contact_id, owner, k, plan, day, out)
        noticed, delivered = self._notices(contact_id, owner, k, channel, day, out)
        latest = max((t for t in (touched, delivered) if t), default=None)
        return basis, expires, noticed, latest

    def _basis_history(
        self, contact_id: int, owner: int, k: int, plan: str, day: int, out: "_ContactTables"
    ) -> tuple[str, datetime.date | None, datetime.datetime]:
        rnd, later, stamp, last = self.rnd, self.later, self.stamp, self.last
        at = later(day, 0, 21 if plan == Basis.CONSENT else 3)
        basis, expires, touched = plan, None, stamp(at)
        if plan == Basis.CONSENT:  # as consent_record: the consent, then the basis
            expires = out.give(self, contact_id, owner, at, touched)
        assessed = ("", "", "")
        if plan == Basis.LEGITIMATE_INTERESTS:
            assessed = LEGITIMATE_INTERESTS["candidate" if k == 0 else "business"]
        out.bases.append((out.basis_id(), contact_id, plan, *assessed, owner, touched))
        if plan == Basis.CONSENT and at + 600 <= last and rnd() < 0.35:  # renewed
            at = later(at, 600, 730)
            touched = stamp(at)
            expires = out.give(self, contact_id, owner, at, touched)
        if plan == Basis.CONSENT and at + 30 <= last and rnd() < 0.07:
            at = later(at, 30, 500)
            touched = stamp(at)
            out.withdraw(self, contact_id, owner, at, touched)
            expires = None
        elif plan == Basis.LEGITIMATE_INTERESTS and at + 30 <= last:
            if KINDS[k] == Kind.CLIENT and rnd() < 0.1:  # now a client under contract
                at = later(at, 30, 400)
                touched = stamp(at)
                out.bases.append(
                    (out.basis_id(), contact_id, Basis.CONTRACT, "", "", "", owner, touched)
                )
                basis = Basis.CONTRACT
            elif rnd() < 0.12:  # consent on top (the basis stays)
                at = later(at, 30, 400)
                touched = stamp(at)
                expires = out.give(self, contact_id, owner, at, touched)
        return basis, expires, touched

    def _notices(
        self, contact_id: int, owner: int, k: int, channel: str, day: int, out: "_ContactTables"
    ) -> tuple[datetime.date | None, datetime.datetime | None]:
        """Privacy notices sent: to most people whose details came from elsewhere (a
        few late, some not yet), and to some others. The first date, and the last
        time one was recorded."""
        rnd, later = self.rnd, self.later
        share = 0.3 if k == PERSONAL else 0.72 if channel in INDIRECT else 0.2
        if rnd() >= share:
            return None, None
        roll = rnd()
        if roll < 0.6:
            at = later(day, 0, 14)
        else:
            at = later(day, 15, 30) if roll < 0.9 else later(day, 31, 90)
        first, when = self.dates[at], out.deliver(self, contact_id, owner, at)
        if at + 60 <= self.last and rnd() < 0.08:  # sent again with a later version
            when = out.deliver(self, contact_id, owner, later(at, 60, 400))
        return first, when

    # the networking log

    def activities(self) -> None:
        started = time.perf_counter()
        total = self.scale.activities
        with transaction.atomic(), _sink() as sink:
            rows = sink.table(Activity, *ACTIVITY_COLUMNS, rows=total)
            links = sink.table(
                Activity.contacts.through, "id", "activity_id", "contact_id", rows=total
            )
            activity_id = sink.reserve(Activity, total)
            link_id = itertools.count(sink.reserve(Activity.contacts.through, 3 * total))

            def tick() -> None:
                sink.flush()
                self.progress("activities", sink.tables[Activity].written, total, started)

            for r in self.recruiters:
                self._log_of(r, activity_id, rows, links, link_id.__next__, tick)
                activity_id += r.activities
        self.report("activities", sink, started)

    def _log_dates(self, r: _Recruiter) -> list[int]:
        """Days of a recruiter's activities, oldest first: more lately than at first,
        mostly on working days, never before their first contact."""
        rnd, weekday, first = self.rnd, self.weekday, r.days[0]
        span = self.last - first + 1
        days = []
        for _ in range(r.activities):
            day = first + int(span * (1 - rnd() ** 1.25))
            if weekday[day] >= 5 and rnd() < 0.85 and day - (weekday[day] - 4) >= first:
                day -= weekday[day] - 4  # the Friday before
            days.append(day)
        days.sort()
        return days

    def _log_of(
        self,
        r: _Recruiter,
        first_id: int,
        rows: list,
        links: list,
        link_id: Callable[[], int],
        tick: Callable,
    ) -> None:
        if not r.activities:
            return
        rng, rnd, stamp, dates, last = self.rng, self.rnd, self.stamp, self.dates, self.last
        kinds, hot, logged, latest = r.kinds, r.hot, r.logged, r.last_activity
        result_share = OUTCOME_SHARE / 0.6  # about 60% of activities could lead to one
        notable_share = min(1.0, 80 / r.activities)
        for n, day in enumerate(self._log_dates(r)):
            activity_id = first_id + n
            eligible = bisect.bisect_right(r.days, day)  # added by then
            hot_ones = bisect.bisect_left(hot, eligible)
            # A third of the time one of their key relationships, else anyone.
            p = hot[int(rnd() * hot_ones)] if hot_ones and rnd() < 0.35 else int(rnd() * eligible)
            k = kinds[p]
            if k == PERSONAL:
                people = [p]
                type_, context, outcome, direction = PERSONAL_TYPE, "", "", Direction.MUTUAL
                summary = rng.choice(PERSONAL_SUMMARIES).format(first=r.names[p])
            else:
                type_ = self.type_of[KINDS[k]]()
                people = self._people(p, type_, eligible, kinds)
                context, summary, outcome, direction = self._words(r, p, k, type_)
                if k <= 2 and type_ in LEADS and rnd() < result_share:
                    result = self._result_kind(k)
                    outcome = RESULT_TEXT[result][0]
                    r.results.append((activity_id, day, people, result, p, latest[p]))
                elif type_ in NOTABLE and rnd() < notable_share:
                    r.notable.append((activity_id, day, people, p))
            follow_up = done = None
            if rnd() < 0.2:
                due = day + rng.randint(1, 21)
                follow_up = dates[due]
                # Past follow-ups are mostly done; a few recent ones are overdue.
                if due <= last - 3 and rnd() < (0.99 if due < last - 60 else 0.85):
                    done = stamp(min(max(day, due + rng.randint(-2, 3)), last))
            created = stamp(day)
            rows.append(
                (activity_id, r.user_id, dates[day], type_, context, summary, outcome, direction)
                + (follow_up, done, 0, k == PERSONAL, created, max(created, done or created))
            )
            for q in people:
                links.append((link_id(), activity_id, r.first_contact_id + q))
                logged[q] += 1
                latest[q] = activity_id
            if len(rows) >= CHUNK:
                tick()

    def _people(self, p: int, type_: str, eligible: int, kinds: bytearray) -> list[int]:
        """Contact `p` and, now and then, one or two more professional contacts."""
        rnd, people = self.rnd, [p]
        extra = 1 if type_ in PAIRS and rnd() < 0.45 else 0
        if rnd() < 0.12:
            extra += 1 if rnd() < 0.8 else 2
        for _ in range(extra):
            q = int(rnd() * eligible)
            if q not in people and kinds[q] != PERSONAL:
                people.append(q)
        return people

    def _words(self, r: _Recruiter, p: int, k: int, type_: str) -> tuple[str, str, str, str]:
        """Context, summary, outcome and direction of value of an activity with `p`."""
        rng, rnd = self.rng, self.rnd
        group = "candidate" if k == 0 else "business"
        org, role = r.orgs[p], r.roles[p]
        summary = rng.choice(SUMMARIES[group][type_]).format(
            first=r.names[p], org=org or "their company", role=role
        )
        if type_ == ActivityType.EVENT:
            context = rng.choice(EVENTS)
        elif type_ == ActivityType.MEETING:
            context = f"{org} offices" if org and rnd() < 0.5 else rng.choice(PLACES)
        elif type_ == ActivityType.LINKEDIN:
            context = "LinkedIn"
        else:
            context = f"Re: {role} role" if rnd() < 0.25 else ""
        outcome = rng.choice(OUTCOMES[group]) if rnd() < 0.55 else ""
        return context, summary, outcome, self.direction_of[type_]()

    def _result_kind(self, k: int) -> str:
        rnd = self.rnd
        if KINDS[k] == Kind.CANDIDATE:
            return OutcomeKind.PLACEMENT if rnd() < 0.7 else OutcomeKind.REFERRAL
        if KINDS[k] == Kind.CLIENT:
            return OutcomeKind.CLIENT_WON if rnd() < 0.4 else OutcomeKind.VACANCY
        return OutcomeKind.VACANCY if rnd() < 0.8 else OutcomeKind.CLIENT_WON

    # outcomes, reviews, reflections and cadences

    def evaluation(self) -> None:
        started = time.perf_counter()
        reflections = {
            r.user_id: 3 + min(20, r.activities // 5_000) + self.rng.randint(0, 7)
            for r in self.recruiters
        }
        with transaction.atomic(), _sink() as sink:
            out = _EvaluationTables(sink, self.scale, self.recruiters, reflections)
            for r in self.recruiters:
                self._reviews_of(r, out)
                self._outcomes_of(r, out)
                self._reflections_of(r, out)
                self._cadences_of(r, out)
                if len(out.reviews) >= CHUNK:
                    sink.flush()
        self.report("outcomes, reviews, reflections, cadences", sink, started)

    def _reviews_of(self, r: _Recruiter, out: "_EvaluationTables") -> None:
        rng, rnd, stamp, dates, last = self.rng, self.rnd, self.stamp, self.dates, self.last
        reviews_of = _weighted(rnd, [1, 2, 3], [60, 30, 10])
        for p, k in enumerate(r.kinds):
            if k == PERSONAL or rnd() >= REVIEW_SHARE:
                continue
            day = r.days[p] + rng.randint(30, 200)
            for _ in range(reviews_of()):
                if day > last:
                    break
                level = bisect.bisect(ACTIVITY_LEVELS, r.logged[p]) + 1
                activity = level if rnd() < 0.75 else min(5, max(1, level + rng.choice([-1, 1])))
                value = min(5, max(1, VALUE_BASE[k] + rng.choice([-1, 0, 0, 1])))
                potential = rng.choice([1, 2, 3, 3, 4, 4, 5])
                decision = self._decision(value + activity + potential)
                action, action_on, done = "", None, None
                if decision != Decision.DISCONTINUE and rnd() < 0.45:
                    action = rng.choice(NEXT_ACTIONS).format(first=r.names[p])
                    due = day + rng.randint(7, 60)
                    action_on = dates[due]
                    if due <= last - 3 and rnd() < 0.85:
                        done = stamp(min(max(day, due + rng.randint(-5, 5)), last))
                review_id = out.review_id()
                out.reviews.append(
                    (review_id, r.user_id, r.first_contact_id + p, dates[day], value, activity)
                    + (potential, level, rng.choice(RATIONALES[decision]).format(first=r.names[p]))
                    + (decision, action, action_on, done, stamp(day))
                )
                r.reviews[p] = review_id
                if decision == Decision.DISCONTINUE:
                    break
                day += rng.randint(150, 240)

    def _decision(self, total: int) -> str:
        rnd = self.rnd
        if total >= 11:
            return Decision.STRENGTHEN if rnd() < 0.85 else Decision.MAINTAIN
        if total <= 6:
            return Decision.DISCONTINUE if rnd() < 0.75 else Decision.MAINTAIN
        return self.middling_decision()

    def _outcomes_of(self, r: _Recruiter, out: "_EvaluationTables") -> None:
        rng, base = self.rng, r.first_contact_id
        for activity_id, day, people, kind, p, earlier in r.results:
            outcome_id = out.outcome_id()
            on = self.later(day, 0, 10)
            value = None
            if kind == OutcomeKind.PLACEMENT:
                value = Decimal(rng.randrange(4_000, 25_001, 50))
            elif kind == OutcomeKind.CLIENT_WON and self.rnd() < 0.5:
                value = Decimal(rng.randrange(10_000, 120_001, 500))
            notes = RESULT_TEXT[kind][1].format(
                first=r.names[p], org=r.orgs[p] or "a client", role=r.roles[p]
            )
            out.outcomes.append(
                (outcome_id, r.user_id, kind, self.dates[on], value, notes, 0, self.stamp(on))
            )
            for q in people:
                out.outcome_contacts.append((out.outcome_contact_id(), outcome_id, base + q))
            for linked in (activity_id, earlier) if earlier else (activity_id,):
                out.outcome_activities.append((out.outcome_activity_id(), outcome_id, linked))

    def _reflections_of(self, r: _Recruiter, out: "_EvaluationTables") -> None:
        rng = self.rng
        for _ in range(out.reflections_per[r.user_id] if r.notable else 0):
            activity_id, day, people, p = rng.choice(r.notable)
            reflection_id = out.reflection_id()
            on = self.later(day, 1, 14)
            title, text = rng.choice(REFLECTIONS)
            words = {"first": r.names[p], "event": rng.choice(EVENTS).split(",")[0]}
            written = self.stamp(on)
            out.reflections.append(
                (reflection_id, r.user_id, title.format(**words), self.dates[on])
                + (text.format(**words), written, written)
            )
            for q in people:
                out.reflection_contacts.append(
                    (out.reflection_contact_id(), reflection_id, r.first_contact_id + q)
                )
            out.reflection_activities.append(
                (out.reflection_activity_id(), reflection_id, activity_id)
            )
            if p in r.reviews and self.rnd() < 0.3:
                out.reflection_reviews.append(
                    (out.reflection_review_id(), reflection_id, r.reviews[p])
                )

    def _cadences_of(self, r: _Recruiter, out: "_EvaluationTables") -> None:
        rng = self.rng
        kinds = rng.sample(KINDS[:PERSONAL], rng.randint(0, 3))
        for kind in kinds:
            ideal, most = rng.choice(GAPS)
            out.cadences.append((out.cadence_id(), r.user_id, None, kind, ideal, most))
        for p in rng.sample(r.hot, min(len(r.hot), CONTACT_CADENCES)):
            ideal, most = rng.choice(GAPS)
            out.cadences.append(
                (out.cadence_id(), r.user_id, r.first_contact_id + p, "", ideal, most)
            )


class _ContactTables:
    """The contacts group's row buffers (parents first) and id counters."""

    def __init__(self, sink: _Sink, contacts: int) -> None:
        self.contacts = sink.table(Contact, *CONTACT_COLUMNS, rows=contacts)
        self.tags = sink.table(Contact.tags.through, "id", "contact_id", "tag_id", rows=contacts)
        self.bases = sink.table(
            LawfulBasisRecord,
            *("id", "contact_id", "basis", "li_purpose", "li_necessity", "li_balance"),
            *("recorded_by_id", "recorded_at"),
            rows=contacts // 2,
        )
        self.consents = sink.table(
            ConsentRecord,
            *("id", "contact_id", "event", "on", "method", "purposes", "notice_id"),
            *("expires_on", "recorded_by_id", "recorded_at"),
            rows=contacts // 2,
        )
        self.notices = sink.table(
            NoticeDelivery,
            *("id", "contact_id", "notice_id", "delivered_on", "method", "recorded_by_id"),
            "recorded_at",
            rows=contacts // 2,
        )

    def reserve(self, sink: _Sink, contacts: int) -> None:
        """Blocks big enough for the most rows a contact can have in each table."""
        self.tag_id = itertools.count(sink.reserve(Contact.tags.through, 4 * contacts)).__next__
        self.basis_id = itertools.count(sink.reserve(LawfulBasisRecord, 2 * contacts)).__next__
        self.consent_id = itertools.count(sink.reserve(ConsentRecord, 3 * contacts)).__next__
        self.notice_id = itertools.count(sink.reserve(NoticeDelivery, 2 * contacts)).__next__

    def give(
        self, net: _Network, contact_id: int, owner: int, at: int, when: datetime.datetime
    ) -> datetime.date:
        """Consent given on day `at`, as consent.services.consent_record records it."""
        on = net.dates[at]
        expires = add_months(on, settings.CONSENT_VALID_MONTHS)
        self.consents.append(
            (self.consent_id(), contact_id, ConsentEvent.GIVEN, on, net.method_of())
            + (net.rng.choice(PURPOSE_SETS), net.notice_on[at], expires, owner, when)
        )
        return expires

    def withdraw(
        self, net: _Network, contact_id: int, owner: int, at: int, when: datetime.datetime
    ) -> None:
        method = net.rng.choice([Method.EMAIL, Method.CALL])
        self.consents.append(
            (self.consent_id(), contact_id, ConsentEvent.WITHDRAWN, net.dates[at], method)
            + ([], None, None, owner, when)
        )

    def deliver(self, net: _Network, contact_id: int, owner: int, at: int) -> datetime.datetime:
        when = net.stamp(at)
        method = net.rng.choice(DELIVERY_METHODS)
        self.notices.append(
            (self.notice_id(), contact_id, net.notice_on[at], net.dates[at], method, owner, when)
        )
        return when


class _EvaluationTables:
    """The last group's row buffers and id counters."""

    def __init__(
        self,
        sink: _Sink,
        scale: Scale,
        recruiters: list[_Recruiter],
        reflections_per: dict[int, int],
    ) -> None:
        self.reviews = sink.table(Review, *REVIEW_COLUMNS)
        self.outcomes = sink.table(Outcome, *OUTCOME_COLUMNS)
        self.outcome_contacts = sink.table(
            Outcome.contacts.through, "id", "outcome_id", "contact_id"
        )
        self.outcome_activities = sink.table(
            Outcome.activities.through, "id", "outcome_id", "activity_id"
        )
        self.reflections = sink.table(
            Reflection, "id", "owner_id", "title", "written_on", "text", "created_at", "updated_at"
        )
        through = Reflection.contacts.through
        self.reflection_contacts = sink.table(through, "id", "reflection_id", "contact_id")
        through = Reflection.activities.through
        self.reflection_activities = sink.table(through, "id", "reflection_id", "activity_id")
        through = Reflection.reviews.through
        self.reflection_reviews = sink.table(through, "id", "reflection_id", "review_id")
        self.cadences = sink.table(
            Cadence, "id", "owner_id", "contact_id", "kind", "ideal_days", "max_days"
        )
        results = sum(len(r.results) for r in recruiters)
        self.reflections_per = reflections_per
        reflections = sum(reflections_per.values())

        def ids(model: type[models.Model], count: int) -> Callable[[], int]:
            return itertools.count(sink.reserve(model, count)).__next__

        self.review_id = ids(Review, 3 * scale.contacts)
        self.outcome_id = ids(Outcome, results)
        self.outcome_contact_id = ids(Outcome.contacts.through, 3 * results)
        self.outcome_activity_id = ids(Outcome.activities.through, 2 * results)
        self.reflection_id = ids(Reflection, reflections)
        self.reflection_contact_id = ids(Reflection.contacts.through, 3 * reflections)
        self.reflection_activity_id = ids(Reflection.activities.through, reflections)
        self.reflection_review_id = ids(Reflection.reviews.through, reflections)
        self.cadence_id = ids(Cadence, (len(KINDS) + CONTACT_CADENCES) * len(recruiters))


# --- Entry points.


def network_exists() -> bool:
    return User.objects.filter(username__startswith=PREFIX).exists()


def network_generate(
    *,
    scale: Scale,
    seed: int = 1,
    password: str | None = None,
    today: datetime.date | None = None,
    log: Log = print,
) -> dict[str, int]:
    """Generate the network: the users and teams, then one transaction per group of
    tables (contacts, activities, the rest). Returns the rows written per table."""
    network = _Network(scale=scale, seed=seed, today=today or timezone.localdate(), log=log)
    started = time.perf_counter()
    network.users(password)
    network.contacts()
    network.activities()
    network.evaluation()
    _analyze(network.counts, log)  # first: the summary's subqueries need the statistics
    summarised = time.perf_counter()
    with transaction.atomic():
        contacts_summarise(contacts=Contact.objects.filter(owner__username__startswith=PREFIX))
    log(f"contacts' last activity, review and year: {time.perf_counter() - summarised:.1f} s")
    counted = time.perf_counter()
    activity_days_recount(
        owners=User.objects.filter(username__startswith=PREFIX).values_list("pk", flat=True)
    )
    log(f"activities per day: {time.perf_counter() - counted:.1f} s")
    _analyze([Contact._meta.db_table, ActivityDay._meta.db_table], log)
    log(f"total: {time.perf_counter() - started:.1f} s")
    return network.counts


def _analyze(tables, log: Log) -> None:
    """VACUUM ANALYZE the tables (outside any transaction, as VACUUM must be): the
    planner's statistics, and the visibility map a bulk load or a --replace leaves
    unset. Without it, index-only scans read the heap until autovacuum comes round,
    which it then does in the middle of whatever runs next, a benchmark included."""
    if connection.vendor == "postgresql":
        analyzed = time.perf_counter()
        # Inside a transaction (a test's), ANALYZE alone.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'{command} "{table}"')
        log(f"{command.lower()}: {time.perf_counter() - analyzed:.1f} s")


def network_delete(*, log: Log = print) -> dict[str, int]:
    """Delete the generated users and every row that hangs off them, in bulk: the big
    tables first by owner, then whatever else points at the users (rows made while
    trying them out: audit events, testimonies...). Children go before parents,
    whatever the foreign key's on_delete says, because all of it is generated data.
    On PostgreSQL the foreign keys to contacts and activities are off meanwhile and
    checked once at the end (each deleted row would otherwise be looked up in every
    table that refers to it). Returns the rows deleted per table."""
    started = time.perf_counter()
    deleted: dict[str, int] = {}
    users = "SELECT id FROM accounts_user WHERE username LIKE %s"
    params = [PREFIX.replace("_", r"\_") + "%"]
    with transaction.atomic(), connection.cursor() as cursor:
        restore = []
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            big = [Activity._meta.db_table, Contact._meta.db_table]
            restore = _take_off(cursor, _foreign_keys(cursor, to=big))
        for model in (Reflection, Review, Outcome, Cadence, Activity, Contact, Tag):
            _delete_where(cursor, model, f"owner_id IN ({users})", params, deleted)
        _delete_where(cursor, User, "username LIKE %s", params, deleted)
        for statement in restore:
            cursor.execute(statement)
    for table, count in deleted.items():
        if count:
            log(f"  deleted {table:<32} {count:>10,} rows")
    log(f"delete: {time.perf_counter() - started:.1f} s")
    return deleted


def _delete_where(
    cursor, model: type[models.Model], where: str, params: list, deleted: dict, depth: int = 0
) -> None:
    """DELETE the rows of `model` matching `where`, after whatever refers to them:
    referring rows are deleted the same way (or set to NULL where the key is
    SET_NULL), by one statement per table with the rows chosen by a subquery."""
    if depth > 8:
        raise RuntimeError(f"foreign keys nest too deep at {model.__name__}")
    quote = connection.ops.quote_name
    for fk in _references(model):
        selected = f"SELECT {quote(fk.target_field.column)} FROM {quote(model._meta.db_table)}"
        sub = f"{quote(fk.column)} IN ({selected} WHERE {where})"
        on_delete = fk.remote_field.on_delete
        if on_delete is models.SET_NULL:
            table = quote(fk.model._meta.db_table)
            cursor.execute(f"UPDATE {table} SET {quote(fk.column)} = NULL WHERE {sub}", params)
        elif on_delete is not models.DO_NOTHING:
            _delete_where(cursor, fk.model, sub, params, deleted, depth + 1)
    cursor.execute(f"DELETE FROM {quote(model._meta.db_table)} WHERE {where}", params)
    table = model._meta.db_table
    deleted[table] = deleted.get(table, 0) + max(cursor.rowcount, 0)


def _references(model: type[models.Model]) -> list[models.ForeignKey]:
    """Every foreign key to `model`, many-to-many tables' included."""
    return [
        f
        for m in apps.get_models(include_auto_created=True)
        for f in m._meta.local_concrete_fields
        if f.many_to_one or f.one_to_one
        if f.remote_field.model._meta.concrete_model is model and not f.remote_field.parent_link
    ]
