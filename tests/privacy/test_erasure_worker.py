"""The erasure job once through a real Celery worker on Redis, against PostgreSQL.

Everywhere else jobs run eagerly, inside the test process (REDIS_URL is unset under
test). Here `celery worker` runs as its own process, as in production: the message
crosses Redis, the worker loads the request by id from the database, and whatever it
leaves behind (messages, results, retry state, its log) is searched for the person.

- transaction=True: the worker reads through its own connection, so it sees only
  committed rows; a test wrapped in a transaction rolled back at the end would show it
  nothing.
- PostgreSQL only: the worker must open the very database the test writes to, and the
  SQLite test database lives in this process's memory.
- A Redis database of its own (14), emptied first: every key in it is then the job's
  doing and can all be searched, and nothing else using Redis is touched.
"""

import base64
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from celery import Celery
from celery.result import AsyncResult
from django.db import connection

from contacts.models import Activity, Contact
from privacy.models import DataRequest, ErasureRecord, Status
from privacy.services import ERASED, REMOVED
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    DisclosureFactory,
    UserFactory,
    approved,
)
from tests.processes import redis_or_skip, running, test_database_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/14"
TIMEOUT = 60  # seconds; each step takes well under one
TASK = "privacy.tasks.erase"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker shares the test database: PostgreSQL only",
    ),
    pytest.mark.django_db(transaction=True),
]


@dataclass
class Worker:
    """A running worker, and a Celery client of its own to send it jobs on `queue`."""

    client: Celery
    queue: str
    store: redis.Redis
    log: Path

    def erase(self, request_id: int) -> AsyncResult:
        return self.client.send_task(TASK, args=[request_id], queue=self.queue)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory) -> Iterator[Worker]:
    """One worker for the module: started once the test database exists (it is given
    that database's URL), on a queue of its own so no other worker takes the jobs."""
    store = redis_or_skip(REDIS_URL)
    store.flushdb()
    name = f"erasure-{uuid.uuid4().hex[:8]}"
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": test_database_url(),
    }
    command = [
        *(sys.executable, "-m", "celery", "-A", "netlog", "worker", "--pool=solo"),
        *("--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat"),
        *("-Q", name, "-n", f"{name}@localhost", "--loglevel=INFO"),
    ]
    client = Celery(name, broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    ping = lambda: client.control.ping(destination=[f"{name}@localhost"], timeout=0.5)  # noqa: E731
    try:
        with running(command, env, log, ping, "the worker"):
            yield Worker(client=client, queue=name, store=store, log=log)
    finally:
        client.close()
        store.flushdb()
        store.close()


def test_the_worker_erases_the_person_and_leaves_no_trace(worker):
    person = _a_person()

    result = worker.erase(person.request.pk)
    record_id = result.get(timeout=TIMEOUT)

    record = ErasureRecord.objects.get()
    assert record_id == record.pk
    assert record.request_id == person.request.pk
    assert (record.contacts_erased, record.activities_kept) == (1, 2)
    assert record.disclosures[0]["recipient"] == "Harbour Recruitment Ltd"
    assert not Contact.objects.filter(pk=person.contact_id).exists()
    request = DataRequest.objects.get(pk=person.request.pk)
    assert request.status == Status.COMPLETED
    assert request.requester_name == request.requester_email == request.requester_phone == ""
    assert Activity.objects.get(pk=person.alone_activity_id).summary == REMOVED
    assert ERASED in Activity.objects.get(pk=person.shared_activity_id).summary
    assert _database_mentions(person.markers) == []
    assert _redis_mentions(worker.store, person.markers) == []
    assert f"{TASK}[{result.id}] succeeded" in worker.log_text()
    assert _log_mentions(worker, person.markers) == []


def test_running_the_job_twice_erases_once(worker):
    person = _a_person()
    first = worker.erase(person.request.pk).get(timeout=TIMEOUT)
    after_first = _database_snapshot()

    second = worker.erase(person.request.pk).get(timeout=TIMEOUT)

    assert second == first
    assert _database_snapshot() == after_first
    assert ErasureRecord.objects.count() == 1


def test_a_failure_midway_leaves_the_person_whole_and_a_retry_completes_it(worker, gate):
    person = _a_person()
    before = _database_snapshot()

    result = worker.erase(person.request.pk)
    # The second attempt has reached the gate, so the first has failed and rolled back.
    _wait_until(lambda: gate.attempts() >= 2, "the retry to reach the gate", worker)

    assert result.state == "RETRY"
    assert _database_snapshot() == before
    # The retry the worker queued itself carries the id and nothing else.
    assert [body[:2] for body in _task_messages(worker.store)] == [[[person.request.pk], {}]]
    assert _redis_mentions(worker.store, person.markers) == []

    gate.open()
    record_id = result.get(timeout=TIMEOUT)

    assert gate.attempts() == 2
    assert ErasureRecord.objects.get().pk == record_id
    assert not Contact.objects.filter(pk=person.contact_id).exists()
    assert DataRequest.objects.get(pk=person.request.pk).status == Status.COMPLETED
    assert _database_mentions(person.markers) == []
    assert _redis_mentions(worker.store, person.markers) == []
    assert _log_mentions(worker, person.markers) == []


# The person


@dataclass
class Person:
    """Someone with an approved erasure request. A token no other text can contain
    (it starts "zq", so no hex digest or id holds it) is in every field naming them."""

    token: str
    phone: str
    request: DataRequest
    contact_id: int
    alone_activity_id: int
    shared_activity_id: int

    @property
    def markers(self) -> list[str]:
        """Lower case; the phone also as its digits, as the suppression list reads it."""
        digits = "".join(c for c in self.phone if c.isdigit()).lstrip("0")
        return [self.token, self.phone, digits]


def _a_person() -> Person:
    token = f"zq{uuid.uuid4().hex[:10]}"
    phone = f"07700 9{uuid.uuid4().int % 10**5:05d}"
    owner = UserFactory()
    contact = ContactFactory(
        owner=owner,
        first_name=f"Ada{token}",
        last_name=f"Quill{token}",
        email=f"ada.{token}@example.org",
        phone=phone,
        profile_url=f"https://www.linkedin.com/in/{token}",
        organisation=f"{token} Analytics",
        role=f"Data engineer ({token})",
        notes=f"Met at the {token} meetup.",
    )
    # Whom the erasure only scrubs: a colleague whose note names the person, and an
    # activity shared with the colleague. The activity with the person alone is emptied.
    colleague = ContactFactory(owner=owner, notes=f"Referred by {contact.name} ({contact.email}).")
    alone = ActivityFactory(
        owner=owner,
        contacts=[contact],
        summary=f"Call with {contact.name} about the {token} role",
        context=f"{token} meetup",
        outcome=f"Sends a CV to {contact.email}",
    )
    shared = ActivityFactory(
        owner=owner,
        contacts=[contact, colleague],
        summary=f"Lunch with {contact.name} and {colleague.name}",
        outcome=f"{contact.first_name} to call back on {phone}",
    )
    DisclosureFactory(contact=contact, recipient="Harbour Recruitment Ltd")
    request = DataRequestFactory(
        contacts=[contact],
        requester_name=contact.name,
        requester_email=contact.email,
        requester_phone=phone,
    )
    return Person(
        token=token,
        phone=phone,
        request=approved(request),
        contact_id=contact.pk,
        alone_activity_id=alone.pk,
        shared_activity_id=shared.pk,
    )


# Failing the first attempt midway


FAIL_ONCE = """
CREATE FUNCTION erasure_test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('erasure_test_attempts') = 1 THEN
        RAISE EXCEPTION 'erasure interrupted by the test';
    END IF;
    PERFORM pg_advisory_xact_lock({lock});
    RETURN NULL;
END $$
"""
GATE_LOCK = 7_311_001


class Gate:
    """Where the erasure's attempts stop: see the `gate` fixture."""

    def attempts(self) -> int:
        """How many attempts have tried to delete contacts so far."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM erasure_test_attempts"
            )
            return cursor.fetchone()[0]

    def open(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [GATE_LOCK])


@pytest.fixture
def gate() -> Iterator[Gate]:
    """The first attempt fails as it deletes the contacts, with the suppression list,
    the scrubbing and the request's details already done in its transaction; later
    attempts wait there, on a lock the test holds, until the test opens the gate. The
    attempts are counted by a sequence, which a rollback does not undo."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE SEQUENCE erasure_test_attempts")
        cursor.execute(FAIL_ONCE.format(lock=GATE_LOCK))
        cursor.execute(
            "CREATE TRIGGER erasure_test_fail_once BEFORE DELETE ON contacts_contact "
            "FOR EACH STATEMENT EXECUTE FUNCTION erasure_test_fail_once()"
        )
        cursor.execute("SELECT pg_advisory_lock(%s)", [GATE_LOCK])
    gate = Gate()
    try:
        yield gate
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")
            cursor.execute("DROP TRIGGER erasure_test_fail_once ON contacts_contact")
            cursor.execute("DROP FUNCTION erasure_test_fail_once()")
            cursor.execute("DROP SEQUENCE erasure_test_attempts")


# Where the person could remain


def _database_mentions(markers: list[str]) -> list[str]:
    """Every text column of every table that still holds one of the markers."""
    quote_name = connection.ops.quote_name
    patterns = [f"%{m.lower()}%" for m in markers]
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb')"
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f"SELECT count(*) FROM {quote_name(table)} "
                f"WHERE lower({quote_name(column)}::text) LIKE ANY(%s)",
                [patterns],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def _database_snapshot() -> dict[str, list[str]]:
    """Every row of every table, to show that nothing at all changed."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            snapshot[table] = sorted(map(repr, cursor.fetchall()))
    return snapshot


READ = {
    b"string": lambda store, key: [store.get(key)],
    b"list": lambda store, key: store.lrange(key, 0, -1),
    b"hash": lambda store, key: [x for pair in store.hgetall(key).items() for x in pair],
    b"set": lambda store, key: store.smembers(key),
    b"zset": lambda store, key: store.zrange(key, 0, -1),
}


def _redis_contents(store: redis.Redis) -> Iterator[tuple[str, str]]:
    """Every key of the database and every value under it, as text."""
    for key in store.scan_iter(count=1000):
        kind = store.type(key)
        if kind == b"none":  # expired since the scan saw it
            continue
        assert kind in READ, f"Redis key {key!r} is a {kind!r}, which this test cannot read"
        name = key.decode(errors="replace")
        yield name, name
        for value in READ[kind](store, key):
            if value is not None:
                yield name, value.decode(errors="replace")


def _messages(text: str) -> Iterator[dict]:
    """The kombu messages in a value: a queue holds them as they are, the unacked hash
    as [message, exchange, routing key]."""
    try:
        value = json.loads(text)
    except ValueError:
        return
    values = value if isinstance(value, list) else [value]
    for item in values:
        properties = item.get("properties") if isinstance(item, dict) else None
        if isinstance(properties, dict) and properties.get("body_encoding") == "base64":
            yield item


def _body(message: dict) -> str:
    """Kombu keeps a message's body base64-encoded, where a search cannot see it."""
    return base64.b64decode(message["body"]).decode(errors="replace")


def _redis_mentions(store: redis.Redis, markers: list[str]) -> list[str]:
    """The keys whose name or values (message bodies decoded) hold one of the markers."""
    found = set()
    for key, text in _redis_contents(store):
        texts = [text.lower(), *(_body(m).lower() for m in _messages(text))]
        if any(marker.lower() in t for t in texts for marker in markers):
            found.add(key)
    return sorted(found)


def _task_messages(store: redis.Redis) -> list[list]:
    """The bodies, [args, kwargs, options], of the erasure jobs waiting in Redis."""
    return [
        json.loads(_body(message))
        for _, text in _redis_contents(store)
        for message in _messages(text)
        if message.get("headers", {}).get("task") == TASK
    ]


def _log_mentions(worker: Worker, markers: list[str]) -> list[str]:
    log = worker.log_text().lower()
    return [marker for marker in markers if marker.lower() in log]


# Plumbing


def _wait_until(condition: Callable[[], object], what: str, worker: Worker) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {TIMEOUT} s:\n{worker.log_text()}")
        time.sleep(0.05)
