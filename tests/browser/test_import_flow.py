"""A recruiter imports LinkedIn's Connections.csv in a real browser: uploads it, watches
the file being read, looks through the preview (new, duplicates, a repeated row),
changes their mind about one duplicate, imports, and is sent to the privacy notices the
new contacts are due. A file in Windows-1252 is refused on the upload page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from consent.deadlines import add_months
from contacts.models import Channel, Contact, Kind
from imports import services, tasks
from imports.models import Batch, PreviewRow, Status
from tests.browser.conftest import NetworkLog
from tests.browser.test_recruiter_flow import sign_in
from tests.factories import ContactFactory, UserFactory

# transaction=True: the live server answers from another thread (and, on PostgreSQL,
# another connection), so the rows the test creates must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# LinkedIn's export, as it comes: a notes paragraph and a blank line before the header.
PREAMBLE = [
    "Notes:",
    '"When exporting your connection data, you may notice that some of the email '
    "addresses are missing. You will only see email addresses for connections who have "
    "allowed their connections to see or download their email address using this "
    'setting https://www.linkedin.com/psettings/privacy/email"',
    "",
]
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
AMARA = (
    "Amara,Okafor-Lindqvist,https://www.linkedin.com/in/amara-okafor-lindqvist,,"
    '"Brightwater Analytics, Ltd",Senior Data Engineer,03 Mar 2024'
)
# The CSV's line of each person (the preview's "Row"): the header is line 4.
ROWS = {
    5: AMARA,
    # The same email as a contact held (in another case): updated.
    6: "Marisol,Vantongeren,https://www.linkedin.com/in/marisol-vantongeren,"
    "MARISOL.V@kestrelhire.example,Kestrel Hire Group,Talent Partner,14 Nov 2023",
    # The same profile as a contact held (written without "www." and the slash): updated.
    7: "Ifeoma,Castellanos,https://linkedin.com/in/ifeoma-castellanos,,"
    '"Northgate Logistics, Leeds",Head of Operations,21 Jan 2025',
    # The email of *another* recruiter's contact: new for this one.
    8: "Wren,Abernathy-Sato,https://www.linkedin.com/in/wren-abernathy-sato,"
    "wren.a@fieldfare.example,Fieldfare Studio,UX Researcher,09 Feb 2025",
    9: AMARA,  # the same connection twice: skipped
    10: "Kofi,Ashworth-Mensah,https://www.linkedin.com/in/kofi-ashworth-mensah,,,,02 Jun 2025",
}
NEW_NAMES = ["Amara Okafor-Lindqvist", "Wren Abernathy-Sato", "Kofi Ashworth-Mensah"]
COUNT_TERMS = [
    "New contacts",
    "Merged into contacts you have (blank fields filled, nothing overwritten)",
    "Skipped",
    "Left out: they asked us to erase their details",
]


def connections_csv(rows: list[str], *, encoding: str = "utf-8-sig") -> bytes:
    """Connections.csv as LinkedIn writes it: a byte-order mark and CRLF line ends."""
    return "\r\n".join([*PREAMBLE, HEADER, *rows, ""]).encode(encoding)


@pytest.fixture
def recruiter(transactional_db) -> User:
    return UserFactory(username="recruiter", first_name="Priya")


@pytest.fixture
def by_email(recruiter: User) -> Contact:
    """Met in person (no notice due); no job title or profile yet."""
    return ContactFactory(
        owner=recruiter,
        first_name="Marisol",
        last_name="Vantongeren",
        kind=Kind.HIRING_MANAGER,
        source_channel=Channel.EVENT,
        email="marisol.v@kestrelhire.example",
        phone="07700 900123",
        organisation="Kestrel Hire",
        role="",
        profile_url="",
        notes="Met at the Leeds data meetup.",
    )


@pytest.fixture
def by_profile(recruiter: User) -> Contact:
    return ContactFactory(
        owner=recruiter,
        first_name="Ifeoma",
        last_name="Castellanos",
        kind=Kind.CLIENT,
        source_channel=Channel.EVENT,
        email="",
        organisation="Northgate Logistics",
        role="Operations Director",
        profile_url="https://www.linkedin.com/in/ifeoma-castellanos/",
    )


@pytest.fixture
def someone_elses(transactional_db) -> Contact:
    return ContactFactory(
        owner=UserFactory(username="other_recruiter"),
        first_name="Wren",
        last_name="Abernathy",
        source_channel=Channel.EVENT,
        email="wren.a@fieldfare.example",
    )


@pytest.fixture
def held_previews(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the imports whose preview job the upload queued, held back until the
    test runs it. Run at once (no REDIS_URL: in-process), the preview would be ready
    before the redirect, and the progress page would never be seen."""
    held: list[int] = []
    queue = services._queue

    def hold_previews(job: str, batch: Batch) -> None:
        if job == "preview":
            held.append(batch.pk)
        else:
            queue(job, batch)

    monkeypatch.setattr(services, "_queue", hold_previews)
    return held


def upload(page: Page, data: bytes) -> None:
    page.goto(reverse("imports:upload"))
    sign_in(page, "recruiter")
    expect(page.get_by_role("heading", name="Import contacts", level=1)).to_be_visible()
    page.get_by_role("radio", name="LinkedIn Connections.csv").check()
    page.get_by_label("File").set_input_files(
        {"name": "Connections.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Upload and preview").click()


def expect_counts(page: Page, *, new: int, updated: int, skipped: int) -> None:
    summary = page.get_by_label("What the import will do")
    expect(summary.get_by_role("term")).to_have_text(COUNT_TERMS)
    expect(summary.get_by_role("definition")).to_have_text(
        [str(new), str(updated), str(skipped), "0"]
    )
    expect(
        page.get_by_role("button", name=f"Import {new} new and merge {updated}", exact=True)
    ).to_be_visible()


def file_row(page: Page, line: int) -> Locator:
    """The preview's row for the CSV's line `line`, found by its "Row" cell."""
    table = page.get_by_role("table", name="Rows of the file")
    return table.get_by_role("row").filter(has=page.get_by_role("cell", name=str(line), exact=True))


def tab(page: Page, name: str) -> Locator:
    """A tab of the preview, named with how many rows it shows ("New 3")."""
    return page.get_by_role("link", name=re.compile(rf"^{name} \d+$"))


def test_a_recruiter_previews_and_imports_linkedin_connections_then_sees_the_notices_due(
    page: Page,
    network: NetworkLog,
    recruiter: User,
    by_email: Contact,
    by_profile: Contact,
    someone_elses: Contact,
    held_previews: list[int],
) -> None:
    upload(page, connections_csv(list(ROWS.values())))

    # The file is being read: the page follows the job and shows the preview once done.
    expect(page.get_by_role("heading", name="Reading your file", level=1)).to_be_visible()
    expect(page.get_by_role("progressbar", name="Import progress")).to_be_visible()
    expect(page.get_by_text("Reading the file… this page follows it by itself.")).to_be_visible()
    (batch_id,) = held_previews
    tasks.preview(batch_id)  # as the worker would
    expect(page.get_by_role("heading", name="Preview: nothing is saved yet")).to_be_visible()
    expect(page).to_have_url(network.origin + reverse("imports:detail", args=[batch_id]))
    expect(page.get_by_role("main")).to_contain_text("Connections.csv: 6 rows")
    expect_counts(page, new=3, updated=2, skipped=1)

    # Every row, with what happens to it and why.
    expect(tab(page, "All rows")).to_have_attribute("aria-current", "page")
    table = page.get_by_role("table", name="Rows of the file")
    expect(table.get_by_role("row")).to_have_count(1 + len(ROWS))
    expectations = {
        5: ("Brightwater Analytics, Ltd", "new contact", "not in your contacts"),
        6: ("merge into Marisol Vantongeren", "Skip instead", "same email as a contact you have"),
        7: (
            "merge into Ifeoma Castellanos",
            "Skip instead",
            "same profile URL as a contact you have",
        ),
        8: ("Wren Abernathy-Sato", "new contact", "not in your contacts"),
        9: ("Amara Okafor-Lindqvist", "skip", "the same person as an earlier line of the file"),
        10: ("Kofi Ashworth-Mensah", "new contact", "not in your contacts"),
    }
    for line, texts in expectations.items():
        for text in texts:
            expect(file_row(page, line)).to_contain_text(text)
    expect(file_row(page, 9)).to_contain_text("(line 5)")
    expect(file_row(page, 9).get_by_role("button")).to_have_count(0)

    # The tabs.
    tab(page, "New").click()
    expect(tab(page, "New")).to_have_attribute("aria-current", "page")
    expect(table.get_by_role("row")).to_have_count(1 + 3)
    expect(table).not_to_contain_text("Marisol")
    tab(page, "Skipped").click()
    expect(table.get_by_role("row")).to_have_count(1 + 1)
    expect(file_row(page, 9)).to_be_visible()
    tab(page, "Duplicates").click()
    expect(tab(page, "Duplicates")).to_have_attribute("aria-current", "page")
    expect(table.get_by_role("row")).to_have_count(1 + 2)

    # Skip one duplicate instead of updating the contact: the counts follow, the tab stays.
    file_row(page, 7).get_by_role("button", name="Skip instead").click()
    expect(file_row(page, 7).get_by_role("button", name="Merge instead")).to_be_visible()
    expect(file_row(page, 7)).not_to_contain_text("merge into Ifeoma Castellanos")
    expect(file_row(page, 6).get_by_role("button", name="Skip instead")).to_be_visible()
    expect(tab(page, "Duplicates")).to_have_attribute("aria-current", "page")
    expect_counts(page, new=3, updated=1, skipped=2)
    # ... and back.
    file_row(page, 7).get_by_role("button", name="Merge instead").click()
    expect(file_row(page, 7).get_by_role("button", name="Skip instead")).to_be_visible()
    expect(file_row(page, 7)).to_contain_text("merge into Ifeoma Castellanos")
    expect_counts(page, new=3, updated=2, skipped=1)
    assert not Contact.objects.filter(owner=recruiter, source_channel=Channel.LINKEDIN).exists()

    page.get_by_role("button", name="Import 3 new and merge 2").click()

    expect(page.get_by_role("heading", name="Imported", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "3 new contacts, 2 merged into contacts you had, 1 skipped."
    )
    due = add_months(timezone.localdate(), 1)
    notices = page.get_by_role("note").filter(has_text="Privacy notices due.")
    expect(notices).to_contain_text(f"sent the privacy notice by {due:%-d %B %Y}")
    notices.get_by_role("link", name="See the notices due").click()

    expect(page.get_by_role("heading", name="Privacy", level=1)).to_be_visible()
    expect(page).to_have_url(network.origin + reverse("consent:privacy"))
    due_list = page.get_by_role("list", name="Notices due")
    expect(due_list.get_by_role("listitem")).to_have_count(3)
    for item, name in zip(due_list.get_by_role("listitem").all(), NEW_NAMES, strict=True):
        expect(item.get_by_role("link", name=name)).to_be_visible()
        expect(item).to_contain_text(f"LinkedIn · due {due.day} {due:%b %Y}")
    expect(page.get_by_role("list", name="Notices overdue")).to_have_text("Nothing overdue.")

    assert_imported(recruiter, by_email, by_profile, someone_elses, batch_id)
    assert network.failures == []


def assert_imported(
    recruiter: User, by_email: Contact, by_profile: Contact, someone_elses: Contact, batch_id: int
) -> None:
    new = Contact.objects.filter(owner=recruiter, source_channel=Channel.LINKEDIN).order_by("id")
    assert [c.name for c in new] == NEW_NAMES
    assert {c.kind for c in new} == {Kind.CANDIDATE}
    amara = new[0]
    assert (amara.organisation, amara.role, amara.email, amara.profile_url, amara.notes) == (
        "Brightwater Analytics, Ltd",
        "Senior Data Engineer",
        "",
        "https://www.linkedin.com/in/amara-okafor-lindqvist",
        "Connected on LinkedIn on 3 March 2024.",
    )
    assert new[1].email == "wren.a@fieldfare.example"
    assert Contact.objects.filter(owner=recruiter).count() == 5

    # Blank fields filled; what the recruiter had entered is untouched.
    merged = Contact.objects.get(pk=by_email.pk)
    assert (merged.role, merged.profile_url) == (
        "Talent Partner",
        "https://www.linkedin.com/in/marisol-vantongeren",
    )
    kept = ["email", "phone", "organisation", "notes", "kind", "source_channel", "created_at"]
    assert [getattr(merged, f) for f in kept] == [getattr(by_email, f) for f in kept]
    merged = Contact.objects.get(pk=by_profile.pk)
    assert merged.notes == "Connected on LinkedIn on 21 January 2025."
    kept = ["email", "organisation", "role", "profile_url", "source_channel"]
    assert [getattr(merged, f) for f in kept] == [getattr(by_profile, f) for f in kept]
    other = Contact.objects.get(pk=someone_elses.pk)
    assert (other.last_name, other.role) == (someone_elses.last_name, someone_elses.role)
    assert Contact.objects.filter(owner=someone_elses.owner).count() == 1

    batch = Batch.objects.get(pk=batch_id)
    assert (batch.status, batch.created, batch.merged, batch.to_skip, batch.data) == (
        Status.DONE,
        3,
        2,
        1,
        None,
    )
    assert not PreviewRow.objects.exists()
    assert batch.finished_at is not None
    assert timezone.now() - batch.finished_at < datetime.timedelta(minutes=1)


def test_a_windows_1252_file_is_refused_on_the_upload_page_and_nothing_is_imported(
    page: Page, network: NetworkLog, recruiter: User
) -> None:
    # Excel's "CSV" on Windows: "ë" and "é" are single bytes that are not UTF-8.
    row = "Zoë,Brontë,https://www.linkedin.com/in/zoe-bronte,,Société Générale,Analyst,01 Feb 2025"
    upload(page, connections_csv([row], encoding="cp1252"))

    expect(page.get_by_role("heading", name="Import contacts", level=1)).to_be_visible()
    expect(page).to_have_url(network.origin + reverse("imports:upload"))
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    message = (
        "The file is not UTF-8 text (line 5 has a character in another encoding, such as "
        "Windows-1252 or Latin-1). Save it again as “CSV UTF-8” (in Excel: File, Save As, "
        "CSV UTF-8) and upload that."
    )
    file = page.get_by_label("File")
    expect(file).to_have_attribute("aria-invalid", "true")
    expect(file).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.get_by_text(message)).to_be_visible()
    expect(page.get_by_role("radio", name="LinkedIn Connections.csv")).to_be_checked()

    assert not Batch.objects.exists()
    assert not Contact.objects.exists()
    assert network.failures == []
