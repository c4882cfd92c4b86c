"""A recruiter reviews a relationship in a real browser: the activity score the log
suggests, the framework's three scores, the rationale, the decision and a next action;
then the review in the contact's history, the next action on the Reviews page and done,
and the review linked to a criterion of the unit and counted in the coverage matrix.
Also: a review without a rationale is not saved, and a reflection linked to a contact."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from contacts.models import Contact, Kind
from reviews.models import (
    Criterion,
    Decision,
    EvidenceLink,
    LearningOutcome,
    Reflection,
    Review,
    Unit,
)
from reviews.services import suggest_activity_score
from reviews.units import DEFAULT_UNIT, load_unit, read_unit
from tests.browser.conftest import NetworkLog
from tests.browser.test_recruiter_flow import sign_in
from tests.factories import ActivityFactory, ContactFactory, UserFactory

# transaction=True: the live server answers from another thread (and, on PostgreSQL,
# another connection), so the rows the test creates must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERION_31 = (
    "3.1 Review relationships with a framework (value, activity level, potential) "
    "and document the rationale."
)
RATIONALE = (
    "She has hired two of our candidates this year and answers within a day, but we "
    "only know her team; her new platform group could become a second account."
)
NEXT_ACTION = "Ask her for an introduction to the head of the platform group."


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
def recruiter(transactional_db) -> User:
    return UserFactory(username="recruiter", first_name="Priya")


@pytest.fixture
def client_contact(recruiter: User) -> Contact:
    """A client with a log whose suggested activity score is 4: last in touch 45 days
    ago (recency 4 of 5) and three activities in the past year (frequency 3 of 5); the
    one 400 days ago counts for neither."""
    contact = ContactFactory(
        owner=recruiter,
        first_name="Grace",
        last_name="Okafor",
        kind=Kind.CLIENT,
        organisation="Brightwater Analytics",
    )
    today = timezone.localdate()
    for days_ago in (45, 100, 200, 400):
        ActivityFactory(
            owner=recruiter, contacts=[contact], date=today - datetime.timedelta(days=days_ago)
        )
    return contact


def long_date(day: datetime.date) -> str:
    """A date as the pages show it: 5 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


def score(page: Page, group: str, value: int) -> Locator:
    """The radio button `value` (1 to 5) in the fieldset whose legend is `group`."""
    # Labelled "1 (low)", "2" ... "5 (high)".
    name = re.compile(rf"^{value}( \((low|high)\))?$")
    return page.get_by_role("group", name=group).get_by_role("radio", name=name)


def test_a_recruiter_reviews_a_client_acts_on_it_and_links_it_to_a_criterion(
    page: Page, network: NetworkLog, recruiter: User, client_contact: Contact, default_unit: Unit
) -> None:
    today = timezone.localdate()
    action_on = today + datetime.timedelta(days=14)
    suggestion = suggest_activity_score(client_contact, today)
    assert suggestion == 4

    page.goto(client_contact.get_absolute_url())
    sign_in(page, "recruiter")
    expect(page.get_by_role("heading", name="Grace Okafor", level=1)).to_be_visible()
    relationship = page.locator("#relationship")
    expect(relationship.get_by_role("heading", name="Relationship")).to_be_visible()
    expect(relationship).to_contain_text("Not reviewed yet.")
    relationship.get_by_role("link", name="Review", exact=True).click()

    expect(
        page.get_by_role("heading", name="Review the relationship with Grace Okafor")
    ).to_be_visible()
    expect(page.get_by_label("Reviewed on")).to_have_value(today.isoformat())
    # The log's suggestion is stated and pre-selected; nothing else is chosen for the user.
    expect(page.get_by_role("group", name="Activity level")).to_contain_text(
        f"Suggested from the log: {suggestion}."
    )
    expect(score(page, "Activity level", suggestion)).to_be_checked()
    for group in ["Value", "Potential"]:
        expect(page.get_by_role("group", name=group).get_by_role("radio")).to_have_count(5)
        expect(page.get_by_role("group", name=group).locator(":checked")).to_have_count(0)
    score(page, "Value", 5).check()
    score(page, "Potential", 3).check()
    page.get_by_label("Rationale").fill(RATIONALE)
    page.get_by_label("Decision").select_option(label="Strengthen")
    page.get_by_label("Next actions").fill(NEXT_ACTION)
    page.get_by_label("Next action by").fill(action_on.isoformat())
    page.get_by_role("button", name="Save review").click()

    expect(page.get_by_role("alert")).to_contain_text("Review saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Review of Grace Okafor, {long_date(today)}"
    )
    expect(page.get_by_text("Decision: Strengthen.")).to_be_visible()
    scores = page.get_by_role("table", name="Scores")
    expect(scores.get_by_role("columnheader")).to_have_text(
        ["Value", "Activity level", "Potential", "Total"]
    )
    expect(scores.get_by_role("cell")).to_have_text(["5/5", "4/5", "3/5", "12/15"])
    expect(page.get_by_text(RATIONALE)).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"Next actions by {long_date(action_on)}")
    ).to_be_visible()
    review = Review.objects.get()
    expect(page).to_have_url(network.origin + review.get_absolute_url())

    # The contact's page lists the review in its history.
    page.get_by_role("navigation", name="breadcrumb").get_by_role(
        "link", name="Grace Okafor"
    ).click()
    history = page.get_by_role("list", name="Review history")
    expect(history.get_by_role("listitem")).to_have_text(
        [f"{long_date(today)}: Strengthen · value 5, activity 4, potential 3"]
    )
    expect(page.locator("#relationship")).not_to_contain_text("Not reviewed yet.")

    # The Reviews page lists the next action, due in two weeks.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", name="Reviews", level=1)).to_be_visible()
    actions = page.get_by_role("list", name="Next actions")
    expect(actions.get_by_role("listitem")).to_have_count(1)
    expect(actions.get_by_role("listitem")).to_contain_text(
        f"{long_date(action_on)} · Grace Okafor{NEXT_ACTION}"
    )
    recent = page.get_by_role("list", name="Recent reviews")
    expect(recent).to_contain_text("Grace Okafor · Strengthen (value 5, activity 4, potential 3)")
    recent.get_by_role("link", name=long_date(today)).click()

    # Done, from the review's page.
    page.get_by_role("button", name="Mark next action done").click()
    expect(page.get_by_role("alert")).to_contain_text("Next action marked as done.")
    expect(page.get_by_text(f"Done {long_date(today)}.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark next action done")).to_have_count(0)

    # Linked to criterion 3.1 of the unit.
    page.get_by_role("link", name="Link to criteria").click()
    expect(page.get_by_role("heading", name="Link to criteria")).to_be_visible()
    criterion = page.get_by_role("checkbox", name=CRITERION_31)
    expect(criterion).not_to_be_checked()
    criterion.check()
    page.get_by_role("button", name="Save criteria").click()
    expect(page.get_by_role("alert")).to_contain_text("Criteria saved.")
    expect(page).to_have_url(network.origin + review.get_absolute_url())
    expect(page.get_by_role("listitem").filter(has_text=CRITERION_31)).to_be_visible()

    # Counted in the coverage matrix, as one review; the next action is off the list.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("list", name="Next actions")).to_have_text("No open next actions.")
    page.get_by_role("navigation", name="Reviews sections").get_by_role(
        "link", name="Criteria coverage"
    ).click()
    matrix = page.get_by_role("table", name="Coverage matrix")
    # One column per kind of evidence, in EvidenceLink.ITEMS order.
    expect(matrix.get_by_role("columnheader")).to_have_text(
        ["Criterion", *[kind.capitalize() for kind in EvidenceLink.ITEMS], "State"]
    )
    one_review = ["1" if kind == "review" else "–" for kind in EvidenceLink.ITEMS]
    expect(matrix.get_by_role("row", name=CRITERION_31).get_by_role("cell")).to_have_text(
        [*one_review, "evidenced"]
    )
    nothing = ["–"] * len(EvidenceLink.ITEMS)
    expect(
        matrix.get_by_role("row", name="3.2 Critically evaluate").get_by_role("cell")
    ).to_have_text([*nothing, "unmapped"])
    expect(matrix.get_by_text("evidenced", exact=True)).to_have_count(1)

    review.refresh_from_db()
    assert (review.owner, review.contact, review.reviewed_on) == (recruiter, client_contact, today)
    assert (review.value, review.activity, review.potential) == (5, suggestion, 3)
    assert (review.rationale, review.decision) == (RATIONALE, Decision.STRENGTHEN)
    assert (review.next_actions, review.next_action_on) == (NEXT_ACTION, action_on)
    assert review.next_action_done_at is not None
    link = EvidenceLink.objects.get()
    assert (link.owner, link.review, link.kind) == (recruiter, review, "review")
    assert (link.criterion.outcome.unit, link.criterion.code) == (default_unit, "3.1")
    assert network.failures == []


def test_a_review_without_a_rationale_is_not_saved(page: Page, client_contact: Contact) -> None:
    page.goto(reverse("reviews:review_create", args=[client_contact.pk]))
    sign_in(page, "recruiter")
    score(page, "Value", 2).check()
    score(page, "Potential", 4).check()
    page.get_by_label("Decision").select_option(label="Maintain")
    page.get_by_role("button", name="Save review").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    rationale = page.get_by_label("Rationale")
    expect(rationale).to_have_attribute("aria-invalid", "true")
    expect(rationale).to_have_accessible_description(re.compile(r"This field is required\."))
    # What was chosen is still there to correct.
    expect(score(page, "Value", 2)).to_be_checked()
    expect(score(page, "Potential", 4)).to_be_checked()
    expect(score(page, "Activity level", 4)).to_be_checked()
    expect(page.get_by_label("Decision")).to_have_value(Decision.MAINTAIN)
    assert not Review.objects.exists()


def test_a_recruiter_writes_a_reflection_linked_to_a_contact(
    page: Page, network: NetworkLog, recruiter: User, client_contact: Contact
) -> None:
    ContactFactory(owner=recruiter, first_name="Tomasz", last_name="Nowak", kind=Kind.REFERRER)
    title = "What the Brightwater relationship taught me"

    page.goto(reverse("reviews:home"))
    sign_in(page, "recruiter")
    page.get_by_role("navigation", name="Reviews sections").get_by_role(
        "link", name="Reflections"
    ).click()
    expect(page.get_by_text("No reflections yet.")).to_be_visible()
    page.get_by_role("link", name="Write a reflection").click()

    expect(page.get_by_role("heading", name="Write a reflection")).to_be_visible()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Text").fill(
        "Grace's team hired twice from us, yet we met only when a role was open. "
        "I will strengthen it with a quarterly call and drop the generic newsletters."
    )
    page.get_by_label("Contacts").select_option(label="Grace Okafor")
    page.get_by_role("button", name="Save reflection").click()

    expect(page.get_by_role("alert")).to_contain_text("Reflection saved.")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    reflection = Reflection.objects.get()
    expect(page).to_have_url(network.origin + reflection.get_absolute_url())
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Grace Okafor")).to_be_visible()
    expect(main).not_to_contain_text("Tomasz Nowak")

    page.get_by_role("navigation", name="breadcrumb").get_by_role(
        "link", name="Reflections"
    ).click()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    assert reflection.owner == recruiter
    assert list(reflection.contacts.all()) == [client_contact]


def test_an_activity_score_below_the_suggestion_shows_what_the_log_suggested(
    page: Page, client_contact: Contact
) -> None:
    page.goto(reverse("reviews:review_create", args=[client_contact.pk]))
    sign_in(page, "recruiter")
    score(page, "Value", 3).check()
    score(page, "Activity level", 2).check()
    score(page, "Potential", 3).check()
    page.get_by_label("Rationale").fill("We have drifted: no call since the spring.")
    page.get_by_label("Decision").select_option(label="Maintain")
    page.get_by_role("button", name="Save review").click()

    expect(page.get_by_role("alert")).to_contain_text("Review saved.")
    # Checked first: the expectation below would wait out its whole timeout.
    assert Review.objects.get().suggested_activity == 4
    expect(page.get_by_role("table", name="Scores")).to_contain_text("2/5 (log suggested 4)")
