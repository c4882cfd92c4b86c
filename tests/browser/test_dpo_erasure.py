"""The data protection officer's erasure request, in a real browser: received, matched to
the person's record, identity checked, approved and carried out; afterwards the person
is in no table at all. And the DPO's pages stay closed to a recruiter."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from consent.models import ConsentRecord, Disclosure, LawfulBasisRecord, Method, Purpose
from consent.services import consent_record
from contacts.models import Activity, Contact
from privacy.models import DataRequest, ErasureRecord, Status
from privacy.services import ERASED, REMOVED, is_suppressed
from tests.browser.conftest import NetworkLog
from tests.browser.test_recruiter_flow import sign_in
from tests.factories import ActivityFactory, ContactFactory, DisclosureFactory, UserFactory

# transaction=True: the live server answers from another thread (and, on PostgreSQL,
# another connection), so the rows the test creates must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The person, in words found nowhere else: any of them left in any column is a leak.
FIRST, LAST = "Zephyrine", "Quillfeather"
EMAIL = "zephyrine.quillfeather@example.org"
PHONE = "+44 7700 900461"
PROFILE = "https://www.linkedin.com/in/zquillfeather"
# In her notes and in the activity she alone took part in.
NOTE_MARKER = "Xyloquartz"
# She signs her email with a short name, so only her email (written in capitals) can
# match her record: the match must ignore case.
SIGNED_AS = f"Zephy {LAST}"
MARKERS = [FIRST, LAST, EMAIL, PHONE, "7700 900461", "zquillfeather", NOTE_MARKER, "Zephy"]
# Anything that reveals her on a page the DPO sees.
PERSON_ON_PAGE = re.compile(r"zephy|quillfeather|7700 900461", re.IGNORECASE)


def columns_holding(markers: list[str]) -> dict[str, list[str]]:
    """{marker: ["table.column", ...]} for every column of every table in the database
    whose text (case-insensitively) contains the marker."""
    qn = connection.ops.quote_name
    found: dict[str, list[str]] = {m: [] for m in markers}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                text = f"LOWER(CAST({qn(column.name)} AS TEXT))"
                where = " OR ".join([f"{text} LIKE %s"] * len(markers))
                cursor.execute(
                    f"SELECT DISTINCT {text} FROM {qn(table)} WHERE {where}",
                    [f"%{m.lower()}%" for m in markers],
                )
                values = [value for (value,) in cursor.fetchall()]
                for marker in markers:
                    if any(marker.lower() in value for value in values):
                        found[marker].append(f"{table}.{column.name}")
    return found


def test_a_dpo_takes_an_erasure_request_from_receipt_to_completion(
    page: Page, network: NetworkLog
) -> None:
    UserFactory(username="dpo", role=Role.DPO, first_name="Dana")
    recruiter = UserFactory(username="recruiter")
    today = timezone.localdate()
    received_on = today - datetime.timedelta(days=2)
    person = ContactFactory(
        owner=recruiter,
        first_name=FIRST,
        last_name=LAST,
        email=EMAIL,
        phone=PHONE,
        profile_url=PROFILE,
        notes=f"Leads the {NOTE_MARKER} platform team; prefers calls after 4pm.",
    )
    other = ContactFactory(
        owner=recruiter,
        first_name="Bartholomew",
        last_name="Fennimore",
        email="bart.fennimore@example.com",
        notes="Hiring lead for the data team.",
    )
    alone = ActivityFactory(
        owner=recruiter,
        contacts=[person],
        summary=f"Call with {FIRST} about the {NOTE_MARKER} role.",
        context=f"{NOTE_MARKER} summit",
        outcome=f"{FIRST} will send her CV to {EMAIL}.",
    )
    shared = ActivityFactory(
        owner=recruiter,
        contacts=[person, other],
        summary=f"Lunch with {FIRST} {LAST} and Bartholomew: {FIRST} introduced him.",
        outcome=f"Bartholomew to call {LAST} on {PHONE}.",
    )
    DisclosureFactory(
        contact=person, recipient="Acme Ltd", disclosed_on=today - datetime.timedelta(days=20)
    )
    consent_record(
        contact=person,
        on=today - datetime.timedelta(days=30),
        method=Method.EMAIL,
        purposes=[Purpose.ROLES, Purpose.SHARE_CV],
        notice=None,
        by=recruiter,
    )
    # The scan sees the person before the erasure, so its silence afterwards means
    # something.
    before = columns_holding(MARKERS)
    assert "contacts_contact.email" in before[EMAIL]
    assert "contacts_activity.summary" in before[NOTE_MARKER]
    assert [m for m, where in before.items() if not where] == []

    page.goto("/")
    sign_in(page, "dpo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", name="Privacy", level=1)).to_be_visible()
    page.get_by_role("link", name="Requests", exact=True).click()
    expect(page.get_by_role("table", name="Open requests")).to_contain_text("No open requests.")

    page.get_by_role("link", name="Receive a request").click()
    expect(page.get_by_role("heading", name="Receive a request")).to_be_visible()
    page.get_by_role("group", name="The person asks").get_by_role("radio", name="Erasure").check()
    page.get_by_label("Date received").fill(received_on.isoformat())
    page.get_by_label("How it came").select_option(label="Email (written)")
    page.get_by_label("Their name").fill(SIGNED_AS)
    page.get_by_label("Their email").fill(EMAIL.upper())
    page.get_by_role("button", name="Record the request").click()

    expect(page.get_by_role("alert")).to_contain_text("Request received: due ")
    request = DataRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Erasure request {request.pk}")
    expect(page.locator("#request-status")).to_have_text("Received")
    expect(page.get_by_text(f"{SIGNED_AS} · {EMAIL.upper()}")).to_be_visible()

    # Only her record matches, found by her email in another case; Bartholomew does not.
    choices = page.locator("form").filter(has_text="Records that may be theirs")
    expect(choices.get_by_role("checkbox")).to_have_count(1)
    choices.get_by_role("checkbox", name=f"{FIRST} {LAST}").check()
    choices.get_by_role("button", name="Link chosen records").click()
    expect(page.get_by_role("alert")).to_contain_text("1 record(s) linked.")
    expect(page.get_by_role("list", name="Their records")).to_contain_text(
        f"{FIRST} {LAST} · Candidate"
    )
    expect(page.get_by_text("Records that may be theirs")).to_have_count(0)

    steps = page.get_by_role("list", name="Steps")
    expect(steps).to_contain_text("Check their identity before approving.")
    steps.get_by_label("How identity was checked").select_option(
        label="Confirmed from the email address we hold"
    )
    steps.get_by_label("Date checked").fill(today.isoformat())
    steps.get_by_role("button", name="Record the identity check").click()
    expect(page.get_by_role("alert")).to_contain_text("Identity check recorded.")
    expect(steps).to_contain_text(
        f"Confirmed from the email address we hold, {today.day} {today:%b %Y}."
    )

    expect(steps.get_by_label("Keep a minimised record until")).to_have_value("")
    steps.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert")).to_contain_text("Request approved.")
    expect(page.locator("#request-status")).to_have_text("Approved")
    expect(steps).to_contain_text("Removes the 1 linked record(s)")

    steps.get_by_role("button", name="Carry out the erasure").click()
    expect(page.get_by_role("alert")).to_contain_text("Erasure started: it runs as a job.")
    expect(page.locator("#request-status")).to_have_text("Completed")
    record = page.locator("#erasure-record")
    expect(record).to_contain_text(
        "Erased 1 contact record(s). Kept 2 activities and 0 outcome(s) as evidence, "
        "with the person removed. Tell 1 recipient(s) of their data (listed)."
    )
    recipients = record.get_by_role("table")
    expect(recipients.get_by_role("row")).to_have_count(2)
    cells = recipients.get_by_role("row").nth(1).get_by_role("cell")
    expect(cells.nth(0)).to_have_text("Acme Ltd")
    expect(cells.nth(1)).to_have_text("CV")
    expect(page.get_by_role("list", name="Their records")).to_have_text("Erased.")
    expect(steps).to_contain_text(f"Completed {today.day} {today:%b %Y}.")
    # What the DPO sees once it is done no longer says who it was.
    expect(page.get_by_text("Who asked")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(PERSON_ON_PAGE)

    page.get_by_role("link", name="Requests", exact=True).click()
    expect(page.get_by_role("table", name="Open requests")).to_contain_text("No open requests.")
    closed = page.get_by_role("table", name="Closed")
    expect(closed.get_by_role("row", name=f"Erasure request {request.pk}")).to_contain_text(
        "Completed"
    )

    # In the database: gone from every column of every table...
    assert columns_holding(MARKERS) == {m: [] for m in MARKERS}
    assert not Contact.objects.filter(pk=person.pk).exists()
    assert not ConsentRecord.objects.filter(contact=person.pk).exists()
    assert not LawfulBasisRecord.objects.filter(contact=person.pk).exists()
    assert not Disclosure.objects.filter(contact=person.pk).exists()
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert (request.requester_name, request.requester_email, request.requester_phone) == (
        "",
        "",
        "",
    )
    assert ErasureRecord.objects.get().request == request
    # ...but recognised if a recruiter enters her again,
    assert is_suppressed(email=EMAIL.upper())
    assert is_suppressed(phone="07700 900461")
    # ...the activities stay as evidence, with her taken out,
    assert set(Activity.objects.values_list("pk", flat=True)) == {alone.pk, shared.pk}
    alone.refresh_from_db()
    shared.refresh_from_db()
    assert (alone.summary, alone.context, alone.outcome, alone.erased_people) == (
        REMOVED,
        "",
        "",
        1,
    )
    assert list(alone.contacts.all()) == []
    assert shared.summary == f"Lunch with {ERASED} and Bartholomew: {ERASED} introduced him."
    assert shared.outcome == f"Bartholomew to call {ERASED} on {ERASED}."
    assert shared.erased_people == 1
    assert list(shared.contacts.all()) == [other]
    # ...and the other person in them is untouched.
    other_now = Contact.objects.get(pk=other.pk)
    assert (
        other_now.first_name,
        other_now.last_name,
        other_now.email,
        other_now.notes,
        other_now.owner,
    ) == ("Bartholomew", "Fennimore", "bart.fennimore@example.com", other.notes, recruiter)
    assert network.failures == []


def test_a_recruiter_cannot_open_the_dpo_pages(page: Page) -> None:
    UserFactory(username="recruiter")
    UserFactory(username="dpo", role=Role.DPO)

    page.goto("/privacy/requests/")
    sign_in(page, "recruiter")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Only the data protection officer does this.")
    response = page.reload()
    assert response is not None and response.status == 403

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", name="Privacy", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Notices due")).to_be_visible()
    main = page.locator("main")
    for tab in ["Privacy notices", "Requests", "Retention", "Audit log"]:
        expect(main.get_by_role("link", name=tab, exact=True)).to_have_count(0)
    expect(main.get_by_role("link", name="Publish a new version")).to_have_count(0)
