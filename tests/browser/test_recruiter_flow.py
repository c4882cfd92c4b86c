"""A recruiter's first minutes in netlog, in a real browser: sign in, add a contact, log
an activity with them; and what the browser shows when input is wrong or the contact
belongs to someone else."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from contacts.models import Activity, ActivityType, Channel, Contact, Direction, Kind
from tests.browser.conftest import NetworkLog
from tests.factories import PASSWORD, ContactFactory, UserFactory

# transaction=True: the live server answers from another thread (and, on PostgreSQL,
# another connection), so the rows the test creates must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every page loads these from the app itself (see STATICFILES_DIRS), never from a CDN.
PAGE_ASSETS = {
    "/static/vendor/bootstrap/css/bootstrap.min.css",
    "/static/vendor/bootstrap/js/bootstrap.bundle.min.js",
    "/static/vendor/bootstrap-icons/bootstrap-icons.min.css",
    "/static/vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "/static/netlog/netlog.css",
}
BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"


def sign_in(page: Page, username: str) -> None:
    """Sign in through the form the login redirect has landed on."""
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_recruiter_signs_in_adds_a_contact_and_logs_an_activity(
    page: Page, network: NetworkLog
) -> None:
    recruiter = UserFactory(username="recruiter", first_name="Priya")
    today = timezone.localdate()
    follow_up = today + datetime.timedelta(days=7)
    summary = "Coffee at the fintech meetup: she is hiring two data engineers."

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    sign_in(page, "recruiter")
    expect(page.get_by_role("heading", name="Hello, Priya")).to_be_visible()

    page.get_by_role("link", name="Add contact").click()
    expect(page.get_by_role("heading", name="Add contact")).to_be_visible()
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Relationship").select_option(label="Hiring manager")
    page.get_by_label("How you met").select_option(label="Event")
    page.get_by_label("Organisation").fill("Analytical Engines Ltd")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Tags").fill("Fintech, London ,fintech")
    page.get_by_role("button", name="Save contact").click()

    expect(page.get_by_role("alert")).to_contain_text("Contact added.")
    expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()
    contact = Contact.objects.get()
    expect(page).to_have_url(network.origin + contact.get_absolute_url())
    # Bootstrap's JS runs: the alert's close button dismisses it.
    page.get_by_role("alert").get_by_role("button", name="Close").click()
    expect(page.get_by_role("alert")).to_have_count(0)

    log = page.locator("#log-activity")
    log.get_by_label("Type").select_option(label="Meeting")
    log.get_by_label("Summary").fill(summary)
    log.get_by_label("Outcome").fill("Agreed to send three CVs by Friday.")
    log.get_by_label("Value").select_option(label="Given")
    log.get_by_label("Follow up on").fill(follow_up.isoformat())
    log.get_by_role("button", name="Log activity").click()

    expect(page.get_by_role("alert")).to_contain_text("Activity logged.")
    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline).to_contain_text(summary)
    expect(timeline).to_contain_text(f"Follow-up {follow_up.day} {follow_up:%b %Y}")
    # Bootstrap's CSS is applied, not just fetched.
    expect(log.get_by_role("button", name="Log activity")).to_have_css(
        "background-color", BOOTSTRAP_PRIMARY
    )

    contact = Contact.objects.get()
    assert contact.owner == recruiter
    assert (contact.first_name, contact.last_name, contact.kind, contact.source_channel) == (
        "Ada",
        "Lovelace",
        Kind.HIRING_MANAGER,
        Channel.EVENT,
    )
    assert (contact.organisation, contact.email) == ("Analytical Engines Ltd", "ada@example.com")
    assert sorted(contact.tags.values_list("name", "owner")) == [
        ("fintech", recruiter.pk),
        ("london", recruiter.pk),
    ]
    activity = Activity.objects.get()
    assert activity.owner == recruiter
    assert list(activity.contacts.all()) == [contact]
    assert (activity.type, activity.date, activity.summary, activity.direction) == (
        ActivityType.MEETING,
        today,
        summary,
        Direction.GIVEN,
    )
    assert (activity.outcome, activity.follow_up_on) == (
        "Agreed to send three CVs by Friday.",
        follow_up,
    )

    network.assert_no_third_party_requests()
    assert network.failures == []
    assets = network.static_responses()
    assert PAGE_ASSETS - {path for path, _ in assets} == set(), "assets the pages did not load"
    # 304: a later page revalidated what the browser already had; still a good load.
    assert [(path, status) for path, status in assets if status not in (200, 304)] == []


def test_an_invalid_email_is_shown_next_to_the_field_and_nothing_is_saved(page: Page) -> None:
    UserFactory(username="recruiter")

    page.goto(reverse("contacts:contact_create"))
    sign_in(page, "recruiter")
    expect(page.get_by_role("heading", name="Add contact")).to_be_visible()
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Relationship").select_option(label="Client")
    page.get_by_label("Email").fill("ada.example.com")
    page.get_by_role("button", name="Save contact").click()

    email = page.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description("Enter a valid email address.")
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(email).to_have_value("ada.example.com")
    expect(page.get_by_label("First name")).to_have_value("Ada")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    assert not Contact.objects.exists()


def test_another_recruiter_neither_lists_nor_opens_someone_elses_contact(page: Page) -> None:
    theirs = ContactFactory(
        owner=UserFactory(username="recruiter"), first_name="Ada", last_name="Lovelace"
    )
    ContactFactory(owner=UserFactory(username="outsider"), first_name="Grace", last_name="Hopper")

    page.goto(reverse("contacts:contact_list"))
    sign_in(page, "outsider")
    contacts = page.get_by_role("table")
    expect(contacts.get_by_role("link", name="Grace Hopper")).to_be_visible()
    expect(contacts).not_to_contain_text("Lovelace")

    response = page.goto(theirs.get_absolute_url())
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not Found")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Lovelace")
