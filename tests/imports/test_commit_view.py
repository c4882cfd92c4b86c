"""POST /imports/<pk>/commit/ (the preview applied by a job, all or nothing), the
result page, POST /imports/<pk>/cancel/, and /imports/<pk>/columns/ where the columns
of another CSV are mapped before its preview."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consent.deadlines import add_months
from contacts.models import Channel, Contact, Kind
from imports.models import Batch, PreviewRow, Source, Status
from imports.parsers import MAPPABLE
from tests.conftest import client_for
from tests.factories import ContactFactory

HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
PEOPLE_CSV = (
    b"Name,Work Email,Employer,Notes\r\n"
    b"Grace Hopper,grace@example.com,US Navy,met at a conference\r\n"
    b"Alan Turing,alan@example.com,Bletchley Park,\r\n"
)


@pytest.fixture(autouse=True)
def _no_stale_progress():
    """Progress lives in the cache, keyed by batch id; ids come round again on SQLite."""
    cache.clear()


def connections(*people: tuple) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(people)
    return out.getvalue().encode()


JO = (
    "Jo",
    "Bloggs",
    "https://www.linkedin.com/in/jo-bloggs",
    "jo@example.com",
    "Acme Ltd",
    "Consultant",
    "12 Mar 2024",
)
SAM = ("Sam", "Patel", "", "sam@example.com", "Initech", "Analyst", "1 Feb 2023")
ANN = ("Ann", "Lee", "", "ann@example.com", "Globex", "Buyer", "")


@pytest.fixture
def upload(as_recruiter, django_capture_on_commit_callbacks):
    """Upload a file (running its preview job); the newest batch."""

    def make(data: bytes, *, source=Source.LINKEDIN, name="Connections.csv", **fields) -> Batch:
        form = {"source": source, "file": SimpleUploadedFile(name, data), **fields}
        with django_capture_on_commit_callbacks(execute=True):
            response = as_recruiter.post(reverse("imports:upload"), form)
        assert response.status_code == 302
        return Batch.objects.order_by("-pk").first()

    return make


@pytest.fixture
def held(recruiter):
    """A contact the recruiter already has, partly filled in, that JO duplicates."""
    return ContactFactory(
        owner=recruiter,
        first_name="Joanna",
        last_name="Bloggs",
        email="jo@example.com",
        organisation="",
        role="Director",
        phone="",
        profile_url="",
        kind=Kind.CLIENT,
        source_channel=Channel.INBOUND,
        created_at=timezone.now() - datetime.timedelta(days=400),
    )


@pytest.fixture
def ready(upload, held):
    batch = upload(connections(JO, SAM), kind=Kind.HIRING_MANAGER, channel=Channel.REFERRAL)
    assert batch.status == Status.READY
    return batch


@pytest.fixture
def commit(as_recruiter, django_capture_on_commit_callbacks):
    def post(batch: Batch, client=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or as_recruiter).post(
                reverse("imports:commit", args=[batch.pk]), **kwargs
            )

    return post


def detail(batch: Batch) -> str:
    return reverse("imports:detail", args=[batch.pk])


# Commit


def test_new_contacts_start_stay_in_touch_from_today_at_their_kinds_cadence(
    recruiter, teammate, ready, commit
):
    from reviews.models import Cadence

    Cadence.objects.create(owner=recruiter, kind=Kind.HIRING_MANAGER, ideal_days=21, max_days=35)
    Cadence.objects.create(owner=teammate, kind=Kind.HIRING_MANAGER, ideal_days=5, max_days=9)
    commit(ready)
    sam = Contact.objects.get(email="sam@example.com")
    today = timezone.localdate()
    assert (sam.touch_ideal_on, sam.touch_max_on) == (
        today + datetime.timedelta(days=21),
        today + datetime.timedelta(days=35),
    )


def test_it_imports_new_contacts_with_the_chosen_kind_and_channel(
    as_recruiter, recruiter, ready, commit
):
    response = commit(ready)
    assert response.status_code == 302
    assert response.url == detail(ready)
    sam = Contact.objects.get(email="sam@example.com")
    assert (sam.owner, sam.name, sam.organisation, sam.role) == (
        recruiter,
        "Sam Patel",
        "Initech",
        "Analyst",
    )
    assert (sam.kind, sam.source_channel) == (Kind.HIRING_MANAGER, Channel.REFERRAL)
    assert sam.notes == "Connected on LinkedIn on 1 February 2023."
    # Their details came from LinkedIn, not from them: a notice is due within a month.
    assert sam.notice_due_on == add_months(timezone.localdate(), 1)
    ready.refresh_from_db()
    assert (ready.status, ready.created, ready.merged) == (Status.DONE, 1, 1)
    assert ready.data is None
    assert PreviewRow.objects.filter(batch=ready).count() == 0


def test_a_merge_fills_blanks_and_overwrites_nothing(ready, held, commit):
    created_at = held.created_at
    commit(ready)
    held.refresh_from_db()
    assert held.name == "Joanna Bloggs"  # the recruiter's own entry wins
    assert held.role == "Director"
    assert held.organisation == "Acme Ltd"  # was blank
    assert held.profile_url == "https://www.linkedin.com/in/jo-bloggs"  # was blank
    assert (held.kind, held.source_channel) == (Kind.CLIENT, Channel.INBOUND)
    assert held.created_at == created_at  # the Art. 14 clock is not restarted
    assert Contact.objects.filter(email="jo@example.com").count() == 1


def test_a_skipped_duplicate_is_left_alone(as_recruiter, ready, held, commit):
    row = PreviewRow.objects.get(batch=ready, email="jo@example.com")
    as_recruiter.post(reverse("imports:choose", args=[ready.pk, row.pk]), {"action": "skip"})
    commit(ready)
    held.refresh_from_db()
    assert (held.organisation, held.profile_url) == ("", "")
    ready.refresh_from_db()
    assert (ready.created, ready.merged, ready.to_skip) == (1, 0, 1)


def test_the_result_says_what_was_done_and_that_notices_are_due(as_recruiter, ready, commit):
    commit(ready)
    response = as_recruiter.get(detail(ready))
    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "<strong>1 new contact</strong>, 1 merged into contacts you had, 0 skipped." in html
    assert "Privacy notices due." in html
    due = add_months(timezone.localdate(), 1)
    assert f"by {due.day} {due:%B %Y}" in html
    assert f'href="{reverse("consent:privacy")}">See the notices due</a>' in html
    assert f'href="{reverse("contacts:contact_list")}?sort=newest"' in html


def test_no_notices_are_due_when_nothing_new_came_in(as_recruiter, upload, held, commit):
    batch = upload(connections(JO))
    commit(batch)
    html = as_recruiter.get(detail(batch)).content.decode()
    assert "0 new contacts" in html
    assert "Privacy notices due" not in html


def test_the_new_contacts_appear_on_the_privacy_page(as_recruiter, ready, commit):
    commit(ready)
    html = as_recruiter.get(reverse("consent:privacy")).content.decode()
    assert "Sam Patel" in html


def test_committing_twice_does_nothing_the_second_time(as_recruiter, ready, commit):
    commit(ready)
    contacts = sorted(Contact.objects.values_list("pk", "updated_at"))
    response = commit(ready, follow=True)
    assert "This import is not waiting to be confirmed." in response.content.decode()
    assert sorted(Contact.objects.values_list("pk", "updated_at")) == contacts
    ready.refresh_from_db()
    assert (ready.status, ready.created, ready.merged) == (Status.DONE, 1, 1)


def test_the_page_follows_the_import_until_the_job_has_run(as_recruiter, ready):
    as_recruiter.post(reverse("imports:commit", args=[ready.pk]))  # the job is not run
    ready.refresh_from_db()
    assert ready.status == Status.IMPORTING
    html = as_recruiter.get(detail(ready)).content.decode()
    assert "Importing your contacts" in html
    status = as_recruiter.get(reverse("imports:status", args=[ready.pk])).json()
    assert (status["status"], status["finished"]) == ("importing", False)
    assert Contact.objects.count() == 1  # only the one held before


def test_the_import_starts_from_nothing_done(as_recruiter, ready):
    as_recruiter.post(reverse("imports:commit", args=[ready.pk]))  # the job is not run
    assert as_recruiter.get(reverse("imports:status", args=[ready.pk])).json()["progress"] == 0
    assert 'aria-valuenow="0"' in as_recruiter.get(detail(ready)).content.decode()


def test_an_import_that_fails_imports_nothing(as_recruiter, ready, held, commit, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    # After the new contacts are inserted: they must go too.
    monkeypatch.setattr(Contact.objects, "bulk_update", boom)
    commit(ready)
    ready.refresh_from_db()
    assert ready.status == Status.FAILED
    assert list(Contact.objects.all()) == [held]
    held.refresh_from_db()
    assert held.organisation == ""
    html = as_recruiter.get(detail(ready)).content.decode()
    assert "Nothing was imported." in html
    assert "Something went wrong while importing; nothing was imported." in html


def test_a_contact_added_since_the_preview_is_not_created_twice(
    as_recruiter, recruiter, ready, commit
):
    since = ContactFactory(
        owner=recruiter,
        first_name="Sam",
        last_name="Patel",
        email="Sam@Example.com",
        organisation="",
    )
    commit(ready)
    ready.refresh_from_db()
    assert ready.status == Status.DONE, ready.problems
    assert Contact.objects.filter(email__iexact="sam@example.com").get() == since
    assert Contact.objects.count() == 2


# Cancel


def test_cancel_deletes_the_preview_and_the_file(as_recruiter, ready):
    response = as_recruiter.post(reverse("imports:cancel", args=[ready.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("imports:upload")
    assert "Import cancelled; nothing was imported and the file is deleted." in (
        response.content.decode()
    )
    ready.refresh_from_db()
    assert ready.status == Status.CANCELLED
    assert ready.data is None
    assert PreviewRow.objects.filter(batch=ready).count() == 0
    assert Contact.objects.count() == 1  # only the one held before
    assert "Cancelled" in as_recruiter.get(detail(ready)).content.decode()


def test_a_cancelled_import_cannot_be_committed(as_recruiter, ready, commit):
    as_recruiter.post(reverse("imports:cancel", args=[ready.pk]))
    response = commit(ready, follow=True)
    assert "This import is not waiting to be confirmed." in response.content.decode()
    assert Contact.objects.count() == 1


def test_an_import_waiting_for_its_columns_can_be_cancelled(as_recruiter, upload):
    batch = upload(PEOPLE_CSV, source=Source.CSV, name="people.csv")
    as_recruiter.post(reverse("imports:cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.data) == (Status.CANCELLED, None)


def test_a_finished_import_can_no_longer_be_cancelled(as_recruiter, ready, commit):
    commit(ready)
    response = as_recruiter.post(reverse("imports:cancel", args=[ready.pk]), follow=True)
    assert "This import can no longer be cancelled." in response.content.decode()
    ready.refresh_from_db()
    assert (ready.status, ready.created) == (Status.DONE, 1)
    assert Contact.objects.count() == 2


# Columns of another CSV


@pytest.fixture
def mapping(upload):
    batch = upload(PEOPLE_CSV, source=Source.CSV, name="people.csv")
    assert batch.status == Status.MAPPING
    return batch


def columns(batch: Batch) -> str:
    return reverse("imports:columns", args=[batch.pk])


def test_the_columns_page_offers_the_files_columns_with_guesses(as_recruiter, mapping):
    response = as_recruiter.get(columns(mapping))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The file has 4 columns." in html
    form = response.context["form"]
    assert [value for value, _ in form.fields["email"].choices] == [
        "",
        "Name",
        "Work Email",
        "Employer",
        "Notes",
    ]
    assert form.initial == {"full_name": "Name", "email": "Work Email", "organisation": "Employer"}


def test_mapped_columns_are_previewed(
    as_recruiter, recruiter, mapping, django_capture_on_commit_callbacks, commit
):
    data = {"full_name": "Name", "email": "Work Email", "role": "Employer"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_recruiter.post(columns(mapping), data)
    assert response.status_code == 302
    assert response.url == detail(mapping)
    assert len(callbacks) == 1
    mapping.refresh_from_db()
    assert (mapping.status, mapping.rows, mapping.to_create) == (Status.READY, 2, 2)
    assert mapping.mapping == data
    grace = PreviewRow.objects.get(batch=mapping, line=2)
    assert (grace.first_name, grace.last_name, grace.role) == ("Grace", "Hopper", "US Navy")
    assert grace.organisation == ""  # not mapped, not imported

    commit(mapping)
    assert Contact.objects.get(email="alan@example.com").name == "Alan Turing"
    assert Contact.objects.get(email="alan@example.com").kind == Kind.CANDIDATE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "Work Email", "organisation": "Employer"},
            "Choose the column that holds the first name, or the full name.",
        ),
        (
            dict.fromkeys(MAPPABLE, ""),  # as a browser sends every field left blank
            "Choose the column that holds the first name, or the full name.",
        ),
        (
            {"full_name": "Name", "last_name": "Name"},
            "Map each column to one field only.",
        ),
        (
            {"first_name": "Name", "email": "Work Email", "phone": "Work Email"},
            "Map each column to one field only.",
        ),
        ({"full_name": "Surname"}, "Select a valid choice."),
    ],
    ids=["no-name", "nothing", "name-twice", "email-twice", "not-in-the-file"],
)
def test_a_bad_mapping_is_refused(
    as_recruiter, mapping, django_capture_on_commit_callbacks, data, message
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_recruiter.post(columns(mapping), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert callbacks == []
    mapping.refresh_from_db()
    assert mapping.status == Status.MAPPING
    assert PreviewRow.objects.count() == 0


def test_the_columns_page_is_done_with_once_mapped(as_recruiter, mapping):
    as_recruiter.post(columns(mapping), {"full_name": "Name"})
    response = as_recruiter.get(columns(mapping))
    assert response.status_code == 302
    assert response.url == detail(mapping)


# Access


@pytest.fixture
def routes(ready, mapping):
    return {
        "commit": ("post", reverse("imports:commit", args=[ready.pk])),
        "cancel": ("post", reverse("imports:cancel", args=[ready.pk])),
        "columns": ("get", columns(mapping)),
        "map": ("post", columns(mapping)),
    }


def assert_untouched(ready: Batch, mapping: Batch) -> None:
    ready.refresh_from_db()
    mapping.refresh_from_db()
    assert (ready.status, mapping.status) == (Status.READY, Status.MAPPING)
    assert ready.data is not None and mapping.data is not None
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "teammate"])
@pytest.mark.parametrize("name", ["commit", "cancel", "columns", "map"])
def test_another_recruiters_import_is_not_found(
    request, routes, ready, mapping, django_capture_on_commit_callbacks, who, name
):
    method, path = routes[name]
    client = client_for(request.getfixturevalue(who))
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(path, {"full_name": "Name"})
    assert response.status_code == 404
    assert_untouched(ready, mapping)


@pytest.mark.parametrize("role", ["manager", "dpo", "assessor"])
@pytest.mark.parametrize("name", ["commit", "cancel", "columns", "map"])
def test_only_recruiters_import(
    request, routes, ready, mapping, django_capture_on_commit_callbacks, role, name
):
    method, path = routes[name]
    client = client_for(request.getfixturevalue(role))
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(path, {"full_name": "Name"})
    assert response.status_code == 403
    assert_untouched(ready, mapping)


@pytest.mark.parametrize("name", ["commit", "cancel"])
def test_commit_and_cancel_reject_get(as_recruiter, routes, ready, mapping, name):
    assert as_recruiter.get(routes[name][1]).status_code == 405
    assert_untouched(ready, mapping)
