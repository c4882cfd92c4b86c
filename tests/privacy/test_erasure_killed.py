"""The worker killed in the middle of an erasure: the person is whole or gone, never
half. A separate process (as a Celery worker is) runs the erasure job and is killed
with SIGKILL halfway through its transaction, once the person's texts have been
scrubbed and their requests forgotten but before their contact rows are deleted; then
the job runs again, as Celery redelivers an unacknowledged message (acks_late).

PostgreSQL only: the killed process and this one must share a database, and SQLite's
test database lives in this process's memory."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from contacts.models import Activity, Contact
from privacy.models import AuditEvent, ErasureRecord, Status
from privacy.tasks import erase
from tests.factories import ActivityFactory, ContactFactory, DataRequestFactory, approved
from tests.processes import test_database_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a database two processes share"),
]

# The erasure job, as the worker runs it, stopping for good once it is halfway.
WORKER = """
import sys, time
import django
django.setup()
from privacy import services
from privacy.tasks import erase

forget = services._forget_elsewhere
def halfway(*args, **kwargs):
    forget(*args, **kwargs)
    print("halfway", flush=True)
    time.sleep(60)
services._forget_elsewhere = halfway
erase(int(sys.argv[1]))
"""


def _kill_halfway(request_id: int) -> None:
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(request_id)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": test_database_url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = worker.stdout.readline()
        assert line.strip() == "halfway", worker.stderr.read()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)


def _state(contact: Contact, activity: Activity) -> dict:
    contact.refresh_from_db()
    activity.refresh_from_db()
    return {
        "contact": model_to_dict(contact, exclude=["tags"]),
        "activity": model_to_dict(activity),
        "links": sorted(activity.contacts.values_list("pk", flat=True)),
    }


def test_a_killed_erasure_leaves_the_person_whole_and_a_retry_erases_them():
    owner_contact = ContactFactory(
        first_name="Quentin", last_name="Marrowfield", notes="Met Quentin at the fair."
    )
    other = ContactFactory(owner=owner_contact.owner, notes="Quentin Marrowfield knows her.")
    activity = ActivityFactory(
        owner=owner_contact.owner,
        contacts=[owner_contact, other],
        summary="Coffee with Quentin Marrowfield and Dana.",
    )
    request = approved(DataRequestFactory(contacts=[owner_contact]))
    before = _state(owner_contact, activity)
    other_before = model_to_dict(other, exclude=["tags"])

    _kill_halfway(request.pk)

    # Whole: every row and every text as it was, and nothing says it was erased.
    assert _state(owner_contact, activity) == before
    other.refresh_from_db()
    assert model_to_dict(other, exclude=["tags"]) == other_before
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    assert not ErasureRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="erased").exists()

    # The job runs again, as Celery redelivers it: now the person is gone.
    record_id = erase(request.pk)

    assert not Contact.objects.filter(pk=owner_contact.pk).exists()
    activity.refresh_from_db()
    assert "Quentin" not in activity.summary and "Marrowfield" not in activity.summary
    other.refresh_from_db()
    assert "Marrowfield" not in other.notes
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert ErasureRecord.objects.get().pk == record_id
