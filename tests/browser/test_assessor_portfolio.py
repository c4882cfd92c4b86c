"""An assessor reads a learner's portfolio in a real browser: only the learners assigned
to them, each contact as a pseudonym and never by name, email or phone; a criterion
signed off with a comment (and not without one). A learner not assigned is not found."""

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from accounts.models import Role, User
from contacts.models import Activity, ActivityType, Contact, Kind
from portfolio.models import Assignment, Export, ExportStatus
from portfolio.pack import MANIFEST, PDF, verify_zip
from portfolio.pseudonyms import pseudonym
from reviews.models import Criterion, EvidenceLink, LearningOutcome, SignOff, Unit
from reviews.units import DEFAULT_UNIT, load_unit, read_unit
from tests.browser.conftest import NetworkLog
from tests.browser.test_recruiter_flow import sign_in
from tests.factories import ActivityFactory, ContactFactory, UserFactory
from tests.pdf import pdf_text

# transaction=True: the live server answers from another thread (and, on PostgreSQL,
# another connection), so the rows the test creates must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The contact's identifiers: made up, so that none can appear on the page by chance.
FIRST_NAME = "Zephyrine"
LAST_NAME = "Quillfeather"
EMAIL = "zq.hiring@brightwater-analytics.example"
PHONE = "07700 900461"
MARKERS = [FIRST_NAME, LAST_NAME, EMAIL, PHONE, PHONE.replace(" ", "")]
SUMMARY = (
    f"Coffee with {FIRST_NAME} {LAST_NAME} after the fintech breakfast: "
    f"{FIRST_NAME} is hiring two data engineers before March."
)
COMMENT = "A dated, documented outreach with its context and outcome; meets 2.2."
CRITERION_22 = re.compile(r"^2\.2 Carry out and document proactive outreach")


@pytest.fixture
def default_unit(transactional_db) -> Unit:
    """The unit a migration loads. A transactional test flushes every table when it
    ends, so a test that ran before this one may have emptied it: load it again (the
    load is idempotent)."""
    unit, _ = load_unit(
        read_unit(DEFAULT_UNIT), Unit=Unit, LearningOutcome=LearningOutcome, Criterion=Criterion
    )
    return unit


@pytest.fixture
def learner(transactional_db) -> User:
    return UserFactory(username="learner", first_name="Priya", last_name="Shah")


@pytest.fixture
def not_assigned(transactional_db) -> User:
    return UserFactory(username="other_learner", first_name="Tomasz", last_name="Nowak")


@pytest.fixture
def assessor(learner: User) -> User:
    assessor = UserFactory(
        username="assessor", first_name="Helen", last_name="Marsh", role=Role.ASSESSOR
    )
    Assignment.objects.create(assessor=assessor, learner=learner)
    return assessor


@pytest.fixture
def hiring_manager(learner: User) -> Contact:
    return ContactFactory(
        owner=learner,
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        kind=Kind.HIRING_MANAGER,
        email=EMAIL,
        phone=PHONE,
    )


@pytest.fixture
def evidence(learner: User, hiring_manager: Contact, default_unit: Unit) -> Activity:
    """A meeting with the hiring manager, linked to criterion 2.2."""
    activity = ActivityFactory(
        owner=learner, type=ActivityType.MEETING, summary=SUMMARY, contacts=[hiring_manager]
    )
    EvidenceLink.objects.create(
        owner=learner,
        criterion=Criterion.objects.get(outcome__unit=default_unit, code="2.2"),
        activity=activity,
    )
    return activity


def criterion_card(page: Page, code: re.Pattern[str]) -> Locator:
    """The criterion's card: an article named by its heading ("2.2 Carry out ...")."""
    return page.get_by_role("article", name=code)


def assert_no_markers(page: Page) -> None:
    """None of the contact's identifiers, in the text or anywhere in the HTML."""
    body = page.locator("body")
    for marker in MARKERS:
        expect(body).not_to_contain_text(marker, ignore_case=True)
    html = page.content().casefold()
    assert [m for m in MARKERS if m.casefold() in html] == []


def test_an_assessor_reads_a_pseudonymised_portfolio_and_signs_a_criterion_off(
    page: Page,
    network: NetworkLog,
    learner: User,
    not_assigned: User,
    assessor: User,
    hiring_manager: Contact,
    evidence: Activity,
) -> None:
    alias = pseudonym(hiring_manager)
    assert alias == f"Hiring manager HM-{hiring_manager.pk:04d}"

    page.goto("/")
    sign_in(page, "assessor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio").click()

    # Only the assigned learner is listed.
    expect(page.get_by_role("heading", name="Portfolios", level=1)).to_be_visible()
    learners = page.get_by_role("list", name="Learners")
    expect(learners.get_by_role("listitem")).to_have_text(["Priya Shah"])
    expect(page.get_by_role("main")).not_to_contain_text("Nowak")
    learners.get_by_role("link", name="Priya Shah").click()

    # 2.2 is evidenced by the meeting, the contact named by their pseudonym only.
    expect(page.get_by_role("heading", name="Portfolio of Priya Shah", level=1)).to_be_visible()
    # Back on the portfolio, at the criterion's card (the form's #fragment).
    expect(page).to_have_url(
        re.compile(re.escape(network.origin + reverse("portfolio:learner", args=[learner.pk])))
    )
    card = criterion_card(page, CRITERION_22)
    expect(card.get_by_text("evidenced: 1", exact=True)).to_be_visible()
    expect(card).not_to_contain_text("signed off")
    item = card.get_by_role("listitem")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"Meeting with {alias}")
    expect(item).to_contain_text(
        f"Coffee with {alias} after the fintech breakfast: "
        f"{alias} is hiring two data engineers before March."
    )
    assert_no_markers(page)

    # Signing off without a comment: the field says what is missing, nothing is saved.
    comment = card.get_by_label("Comment for signing off 2.2")
    expect(comment).to_have_value("")
    card.get_by_role("button", name="Sign off 2.2").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    expect(comment).to_have_accessible_description("Say why the evidence meets the criterion.")
    expect(card.get_by_text("Say why the evidence meets the criterion.")).to_be_visible()
    expect(card).not_to_contain_text("signed off")
    assert not SignOff.objects.exists()
    assert_no_markers(page)

    # With a comment it is signed off, and says so.
    comment.fill(COMMENT)
    card.get_by_role("button", name="Sign off 2.2").click()
    expect(page.get_by_role("alert")).to_contain_text("2.2 signed off.")
    # Back on the portfolio, at the criterion's card (the form's #fragment).
    expect(page).to_have_url(
        re.compile(re.escape(network.origin + reverse("portfolio:learner", args=[learner.pk])))
    )
    expect(card.get_by_text("signed off", exact=True)).to_be_visible()
    expect(card.get_by_role("button", name="Sign off 2.2")).to_have_count(0)
    expect(card.get_by_role("listitem")).to_contain_text(f"Meeting with {alias}")
    assert_no_markers(page)

    sign_off = SignOff.objects.get()
    assert (sign_off.learner, sign_off.criterion.code, sign_off.assessor, sign_off.comment) == (
        learner,
        "2.2",
        assessor,
        COMMENT,
    )
    assert sign_off.criterion.outcome.unit.code == "NET"
    assert network.failures == []


def test_an_assessor_cannot_open_a_learner_not_assigned(
    page: Page, assessor: User, not_assigned: User
) -> None:
    url = reverse("portfolio:learner", args=[not_assigned.pk])
    page.goto(url)
    sign_in(page, "assessor")

    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Nowak")
    # The same answer on a fresh load, not only after the login redirect.
    response = page.goto(url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Tomasz Nowak")


def test_a_refused_sign_off_shows_its_error_where_the_assessor_is(
    page: Page, learner: User, assessor: User, evidence: Activity, default_unit: Unit
) -> None:
    # The unit's last criterion, at the bottom of the page.
    EvidenceLink.objects.create(
        owner=learner,
        criterion=Criterion.objects.get(outcome__unit=default_unit, code="4.2"),
        activity=evidence,
    )
    page.goto(reverse("portfolio:learner", args=[learner.pk]))
    sign_in(page, "assessor")
    card = criterion_card(page, re.compile(r"^4\.2 "))
    card.get_by_role("button", name="Sign off 4.2").click()

    comment = card.get_by_label("Comment for signing off 4.2")
    expect(comment).to_have_accessible_description("Say why the evidence meets the criterion.")
    expect(comment).to_be_in_viewport()
    expect(comment).to_have_attribute("aria-invalid", "true")


def test_an_assessor_exports_watches_and_downloads_the_pack_which_verifies(
    page: Page,
    network: NetworkLog,
    tmp_path: Path,
    learner: User,
    assessor: User,
    hiring_manager: Contact,
    evidence: Activity,
) -> None:
    page.goto(reverse("portfolio:learner", args=[learner.pk]))
    sign_in(page, "assessor")
    expect(page.get_by_role("heading", name="Portfolio of Priya Shah", level=1)).to_be_visible()
    # Without a broker (SQLite in CI) the job runs inside this request: the PDF takes a
    # few seconds on a busy machine before the page arrives.
    page.get_by_role("button", name="Export the pack").click(timeout=60_000)

    # The pack's page. The job runs once the request commits, so the pack is normally
    # built by now; if not, the page refreshes itself every 2 s and the expectations
    # below wait for it.
    expect(
        page.get_by_role("heading", name="Portfolio pack for Priya Shah", level=1)
    ).to_be_visible()
    bar = page.get_by_role("progressbar", name="Building the pack")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(bar).to_have_text("100%")
    status = page.locator("#job-status")
    expect(status).to_contain_text("Ready")
    # Ready: the page stops refreshing itself.
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    export = Export.objects.get()
    assert (export.learner, export.requested_by, export.status, export.progress) == (
        learner,
        assessor,
        ExportStatus.DONE,
        100,
    )
    expect(page).to_have_url(network.origin + reverse("portfolio:export_detail", args=[export.pk]))
    shown_sha256 = status.locator("code").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", shown_sha256)
    assert_no_markers(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="download the pack (ZIP)").click()
    download = download_info.value
    assert download.failure() is None
    assert re.fullmatch(
        rf"netlog-portfolio-{learner.pk}-\d{{8}}-\d{{4}}\.zip", download.suggested_filename
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()

    assert verify_zip(data) == []
    assert hashlib.sha256(data).hexdigest() == shown_sha256 == export.sha256
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        names = pack.namelist()
        assert MANIFEST in names and "evidence.csv" in names and "activities.json" in names
        contents = {
            name: (pdf_text(pack.read(name)) if name == PDF else pack.read(name).decode())
            for name in names
        }
        contents = {name: text.casefold() for name, text in contents.items()}
    leaks = [(name, m) for name, text in contents.items() for m in MARKERS if m.casefold() in text]
    assert leaks == []
    # The evidence is in the pack, under the contact's pseudonym, in the PDF too.
    assert pseudonym(hiring_manager).casefold() in contents["activities.json"]
    assert pseudonym(hiring_manager).casefold() in contents[PDF]

    # The PDF opens from the pack's page.
    pdf = page.request.get(page.get_by_role("link", name="read the PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body() == zipfile.ZipFile(io.BytesIO(data)).read(PDF)

    # The verify page says the same of the downloaded file.
    page.goto(reverse("portfolio:pack_verify"))
    page.get_by_label("Pack (ZIP)").set_input_files(saved)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("alert")).to_contain_text("The pack verifies")
    assert network.failures == []
