"""Witness testimonies, in a real browser. A recruiter asks a client for one from the
client's page; the client, who has no account, opens the single-use link in a browser
of their own, signs and sends; the link then never works again. The recruiter sees it
answered, signed and unaltered, and links it to criterion 4.2, which the coverage matrix
then counts. And a manager signs a testimony for a recruiter in their team."""

import datetime
import hashlib
import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role, User
from contacts.forms import activity_label
from contacts.models import Activity, ActivityType, Contact, Kind
from reviews.models import (
    Criterion,
    EvidenceLink,
    LearningOutcome,
    Testimony,
    Unit,
    WitnessRelationship,
)

# Renamed: pytest would try to collect a class named Test* in a test module.
from reviews.models import TestimonyRequest as LinkRequest
from reviews.units import DEFAULT_UNIT, load_unit, read_unit
from tests.browser.conftest import TIMEOUT_MS, NetworkLog
from tests.browser.test_recruiter_flow import sign_in
from tests.factories import ActivityFactory, ContactFactory, TeamFactory, UserFactory

# transaction=True: the live server answers from another thread (and, on PostgreSQL,
# another connection), so the rows the test creates must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERION_42 = (
    "4.2 Provide witness testimonies from contacts or managers that corroborate "
    "networking activities."
)
CONFIRM = "I confirm this statement is true, and I sign it with the name above."
MESSAGE = "Could you describe the hiring workshop we ran for your platform team?"
WITNESS_ROLE = "Head of Data, Brightwater Analytics"
WITNESS_STATEMENT = (
    "Priya ran a half-day workshop with my platform team in March, mapped the two roles "
    "we could not fill, and introduced us to three engineers; we hired one of them."
)
MANAGER_STATEMENT = (
    "I sat in on Priya's call with Brightwater in March: she prepared the market map "
    "herself, handled the fee discussion calmly and agreed the next steps in writing."
)


def long_date(day: datetime.date) -> str:
    """A date as the pages show it: 5 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


@pytest.fixture(autouse=True)
def no_rate_limit_left_over() -> None:
    """The public page's rate limit counts in the (locmem) cache, which the live server
    shares with the tests and which outlives each test: start every test from zero."""
    cache.clear()


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
def manager(transactional_db) -> User:
    return UserFactory(username="manager", role=Role.MANAGER, first_name="Marcus", last_name="Bell")


@pytest.fixture
def recruiter(manager: User) -> User:
    team = TeamFactory(name="Tech Permanent", manager=manager)
    return UserFactory(username="recruiter", first_name="Priya", last_name="Shah", team=team)


@pytest.fixture
def outsider(transactional_db) -> User:
    """A recruiter in another team: the manager may not testify for them."""
    other_team = TeamFactory(name="Commercial")
    return UserFactory(username="outsider", first_name="Oscar", last_name="Finch", team=other_team)


@pytest.fixture
def client_contact(recruiter: User) -> Contact:
    return ContactFactory(
        owner=recruiter,
        first_name="Grace",
        last_name="Okafor",
        kind=Kind.CLIENT,
        organisation="Brightwater Analytics",
        email="grace.okafor@example.com",
    )


@pytest.fixture
def workshop(recruiter: User, client_contact: Contact) -> Activity:
    """The activity the testimonies are about."""
    return ActivityFactory(
        owner=recruiter,
        contacts=[client_contact],
        type=ActivityType.MEETING,
        date=timezone.localdate() - datetime.timedelta(days=10),
        context="Brightwater offices",
        summary="Hiring workshop with Grace's platform team: two roles mapped.",
    )


@pytest.fixture
def earlier_call(recruiter: User, client_contact: Contact) -> Activity:
    """Another activity with the same client, which nobody asks about."""
    return ActivityFactory(
        owner=recruiter,
        contacts=[client_contact],
        type=ActivityType.CALL,
        date=timezone.localdate() - datetime.timedelta(days=40),
        context="First call",
        summary="Introductory call about Brightwater's hiring plans.",
    )


@pytest.fixture
def witness_page(browser: Browser, network: NetworkLog) -> Iterator[Page]:
    """A second browser, the witness's own: no cookies, never signed in to netlog. Its
    requests go into the same log, so the third-party check covers it too."""
    context = browser.new_context(
        base_url=network.origin, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(TIMEOUT_MS)
    network.watch(context)
    yield context.new_page()
    context.close()


def test_an_external_witness_submits_a_testimony_through_the_link(
    page: Page,
    witness_page: Page,
    network: NetworkLog,
    recruiter: User,
    client_contact: Contact,
    workshop: Activity,
    earlier_call: Activity,
    default_unit: Unit,
) -> None:
    today = timezone.localdate()

    # The recruiter asks Grace from her page, about the workshop only.
    page.goto(client_contact.get_absolute_url())
    sign_in(page, "recruiter")
    expect(page.get_by_role("heading", name="Grace Okafor", level=1)).to_be_visible()
    page.locator("#relationship").get_by_role("link", name="Ask for a testimony").click()

    expect(page.get_by_role("heading", name="Ask Grace Okafor for a testimony")).to_be_visible()
    asked = page.get_by_role("group", name="Activities to comment on")
    expect(asked.get_by_role("checkbox")).to_have_count(2)
    asked.get_by_role("checkbox", name=activity_label(workshop)).check()
    page.get_by_label("Message to them").fill(MESSAGE)
    email_it = page.get_by_label("Email the link to grace.okafor@example.com")
    expect(email_it).not_to_be_checked()
    page.get_by_role("button", name="Make the link").click()

    expect(page.get_by_role("heading", name="The link for Grace Okafor")).to_be_visible()
    expect(page.get_by_text("it is shown only once")).to_be_visible()
    field = page.get_by_label("Link", exact=True)
    expect(field).not_to_be_editable()
    link = field.input_value()
    assert re.fullmatch(re.escape(network.origin) + r"/testimony/\?t=[\w-]{40,}", link), link
    token = link.split("?t=", 1)[1]
    testimony_request = LinkRequest.objects.get()
    # Only a hash of the token is kept; nothing was emailed.
    assert testimony_request.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert testimony_request.used_at is None
    assert mail.outbox == []

    # Grace opens it in her own browser, with no account.
    response = witness_page.goto(link)
    assert response is not None and response.status == 200
    witness = witness_page
    expect(witness.get_by_role("heading", name="A testimony for Priya Shah")).to_be_visible()
    main = witness.get_by_role("main")
    expect(main).to_contain_text("Priya Shah has asked you for a few words")
    expect(main.locator("em")).to_have_text(MESSAGE)
    expect(main.get_by_role("listitem")).to_have_text(
        [f"{long_date(workshop.date)}: Meeting (Brightwater offices)"]
    )
    # Nothing of the app behind the page: no menu, no sign out.
    expect(witness.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(witness.get_by_role("navigation", name="Main").get_by_role("link")).to_have_count(0)
    expect(witness.get_by_label("Your name")).to_have_value("Grace Okafor")
    witness.get_by_label("Your role").fill(WITNESS_ROLE)
    witness.get_by_label("How you know them").select_option(label="A client")
    witness.get_by_label("Your statement").fill(WITNESS_STATEMENT)
    witness.get_by_role("checkbox", name=CONFIRM).check()
    witness.get_by_role("button", name="Sign and send").click()

    expect(witness.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(witness.get_by_text("The link will not work again.")).to_be_visible()

    # The link worked once; never again.
    response = witness.goto(link)
    assert response is not None and response.status == 404
    expect(witness.get_by_role("heading", name="This link is not valid")).to_be_visible()
    expect(witness.get_by_label("Your statement")).to_have_count(0)

    # Back to the recruiter: answered, in the Testimonies tab.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    page.get_by_role("navigation", name="Reviews sections").get_by_role(
        "link", name="Testimonies"
    ).click()
    expect(page.get_by_role("heading", name="Reviews", level=1)).to_be_visible()
    testimonies = page.get_by_role("list", name="Testimonies")
    expect(testimonies.get_by_role("listitem")).to_have_count(1)
    expect(testimonies.get_by_role("listitem")).to_have_text(
        f"Grace Okafor, {WITNESS_ROLE} · A client · signed {long_date(today)}"
    )
    requests = page.get_by_role("table", name="Your requests")
    expect(requests.get_by_role("row")).to_have_count(2)
    expect(requests.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        [long_date(today), "Grace Okafor", "answered"]
    )

    testimonies.get_by_role("link", name=f"Grace Okafor, {WITNESS_ROLE}").click()
    testimony = Testimony.objects.get()
    expect(page).to_have_url(network.origin + testimony.get_absolute_url())
    expect(page.get_by_role("heading", name="Testimony about Priya Shah")).to_be_visible()
    expect(page.get_by_role("blockquote")).to_have_text(WITNESS_STATEMENT)
    signature = page.get_by_label("Signature")
    expect(signature.locator("dt")).to_have_text(
        ["Signed by", "Role", "Relationship", "Date", "Checksum (HMAC-SHA256)"]
    )
    expect(signature.locator("dd").nth(0)).to_have_text("Grace Okafor")
    expect(signature.locator("dd").nth(1)).to_have_text(WITNESS_ROLE)
    expect(signature.locator("dd").nth(2)).to_have_text("A client")
    expect(signature.locator("dd").nth(3)).to_have_text(long_date(today))
    expect(signature.locator("code")).to_have_text(testimony.checksum)
    expect(page.locator("#checksum-state")).to_have_text("unaltered since signing")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=str(workshop))).to_be_visible()
    expect(main.get_by_role("link", name=str(earlier_call))).to_have_count(0)

    # Linked to criterion 4.2, and counted in the coverage matrix as one testimony.
    page.get_by_role("link", name="Link to criteria").click()
    expect(page.get_by_role("heading", name="Link to criteria")).to_be_visible()
    criterion = page.get_by_role("checkbox", name=CRITERION_42)
    expect(criterion).not_to_be_checked()
    criterion.check()
    page.get_by_role("button", name="Save criteria").click()
    expect(page.get_by_role("alert")).to_contain_text("Criteria saved.")
    expect(page).to_have_url(network.origin + testimony.get_absolute_url())
    expect(page.get_by_role("listitem").filter(has_text=CRITERION_42)).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    page.get_by_role("navigation", name="Reviews sections").get_by_role(
        "link", name="Criteria coverage"
    ).click()
    matrix = page.get_by_role("table", name="Coverage matrix")
    one_testimony = ["1" if kind == "testimony" else "–" for kind in EvidenceLink.ITEMS]
    expect(matrix.get_by_role("row", name=CRITERION_42).get_by_role("cell")).to_have_text(
        [*one_testimony, "evidenced"]
    )
    expect(matrix.get_by_text("evidenced", exact=True)).to_have_count(1)

    # The network health page draws the same coverage: one criterion evidenced.
    page.get_by_role("navigation", name="Reviews sections").get_by_role(
        "link", name="Network health"
    ).click()
    coverage = page.locator("#chart-coverage")
    expect(coverage.get_by_role("img", name="Criteria by evidence")).to_be_visible()
    expect(coverage.locator("tbody tr")).to_have_text(
        [re.compile(r"Unmapped\s*\d+"), re.compile(r"Evidenced\s*1"), re.compile(r"Signed off\s*0")]
    )

    # In the database: one signed, intact testimony; the request used up.
    testimony = Testimony.objects.get()
    assert (testimony.owner, testimony.author) == (recruiter, None)
    testimony_request.refresh_from_db()
    assert testimony.request == testimony_request
    assert testimony_request.used_at is not None
    assert list(testimony_request.activities.all()) == [workshop]
    assert testimony_request.message == MESSAGE
    assert (testimony.witness_name, testimony.witness_role, testimony.relationship) == (
        "Grace Okafor",
        WITNESS_ROLE,
        WitnessRelationship.CLIENT,
    )
    assert (testimony.text, testimony.signed_on) == (WITNESS_STATEMENT, today)
    assert list(testimony.activities.all()) == [workshop]
    assert testimony.is_intact
    link = EvidenceLink.objects.get()
    assert (link.owner, link.testimony, link.kind) == (recruiter, testimony, "testimony")
    assert (link.criterion.outcome.unit, link.criterion.code) == (default_unit, "4.2")
    assert network.failures == []


def test_a_manager_signs_a_testimony_for_a_team_member(
    page: Page,
    network: NetworkLog,
    manager: User,
    recruiter: User,
    outsider: User,
    workshop: Activity,
    earlier_call: Activity,
) -> None:
    today = timezone.localdate()
    ActivityFactory(owner=outsider, summary="Oscar's own call, not for Priya's testimony.")

    page.goto("/")
    sign_in(page, "manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    page.get_by_role("navigation", name="Reviews sections").get_by_role(
        "link", name="Testimonies"
    ).click()
    expect(page.get_by_role("list", name="Testimonies")).to_have_text("No testimonies yet.")
    page.get_by_role("link", name="Write a testimony").click()

    # Only the recruiters in the manager's team are offered.
    expect(page.get_by_role("heading", name="Write a testimony")).to_be_visible()
    team = page.get_by_role("main").get_by_role("listitem")
    expect(team).to_have_text(["Priya Shah"])
    team.get_by_role("link", name="Priya Shah").click()

    expect(page.get_by_role("heading", name="Testimony for Priya Shah")).to_be_visible()
    activities = page.get_by_role("group", name="Activities you witnessed")
    # Priya's own activities, newest first, as checkboxes; none of Oscar's.
    expect(activities.get_by_role("checkbox")).to_have_count(2)
    expect(activities.locator("label")).to_have_text(
        [activity_label(workshop), activity_label(earlier_call)]
    )
    activities.get_by_role("checkbox", name=activity_label(workshop)).check()
    expect(page.get_by_label("Your role")).to_have_value("Team manager")
    page.get_by_label("Your statement").fill(MANAGER_STATEMENT)
    page.get_by_role("checkbox", name=CONFIRM).check()
    page.get_by_role("button", name="Sign the testimony").click()

    expect(page.get_by_role("alert")).to_contain_text("Testimony signed.")
    testimony = Testimony.objects.get()
    expect(page).to_have_url(network.origin + testimony.get_absolute_url())
    expect(page.get_by_role("heading", name="Testimony about Priya Shah")).to_be_visible()
    expect(page.get_by_role("blockquote")).to_have_text(MANAGER_STATEMENT)
    signature = page.get_by_label("Signature")
    expect(signature.locator("dd").nth(0)).to_have_text("Marcus Bell")
    expect(signature.locator("dd").nth(1)).to_have_text("Team manager")
    expect(signature.locator("dd").nth(2)).to_have_text("Their manager")
    expect(signature.locator("dd").nth(3)).to_have_text(long_date(today))
    expect(page.locator("#checksum-state")).to_have_text("unaltered since signing")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=str(workshop))).to_be_visible()
    expect(main.get_by_role("link", name=str(earlier_call))).to_have_count(0)
    # Linking evidence to criteria is the recruiter's own work, not the manager's.
    expect(page.get_by_role("link", name="Link to criteria")).to_have_count(0)

    page.get_by_role("navigation", name="breadcrumb").get_by_role(
        "link", name="Testimonies"
    ).click()
    signed = long_date(today)
    expect(page.get_by_role("list", name="Testimonies").get_by_role("listitem")).to_have_text(
        [f"Marcus Bell, Team manager · Their manager · signed {signed} · about Priya Shah"]
    )

    testimony = Testimony.objects.get()
    assert (testimony.owner, testimony.author, testimony.request) == (recruiter, manager, None)
    assert (testimony.witness_name, testimony.witness_role, testimony.relationship) == (
        "Marcus Bell",
        "Team manager",
        WitnessRelationship.MANAGER,
    )
    assert (testimony.text, testimony.signed_on) == (MANAGER_STATEMENT, today)
    assert list(testimony.activities.all()) == [workshop]
    assert testimony.is_intact
    assert not LinkRequest.objects.exists()
    assert network.failures == []
