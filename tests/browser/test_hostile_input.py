"""A script typed into any free-text field never runs: every page that shows the field
is opened in a real browser with a payload in it, and the page must show the payload
as text, run none of it, and (conftest's checks) have nothing refused by the Content
Security Policy, which an unescaped <script> or handler would trip."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from reviews.models import Reflection
from tests.browser.test_recruiter_flow import sign_in
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    OutcomeFactory,
    ReviewFactory,
    TagFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each part would set window.pwned if the page let it run: a script, a handler on an
# image that fails to load, an attribute break-out, a javascript: URL.
PAYLOAD = (
    '<script>window.pwned=1</script><img src=/nowhere onerror="window.pwned=2">'
    '"\' onfocus="window.pwned=3" <a href="javascript:window.pwned=4">x</a>'
)
SHORT = '<b onmouseover="window.pwned=5">b</b>'  # for fields of 100 characters


@pytest.fixture
def hostile(db):
    recruiter = UserFactory(username="priya", first_name=SHORT, team=TeamFactory())
    contact = ContactFactory(
        owner=recruiter,
        first_name=SHORT,
        last_name=SHORT,
        organisation=PAYLOAD,
        role=PAYLOAD,
        notes=PAYLOAD,
        kind="client",
    )
    contact.tags.set([TagFactory(owner=recruiter, name=SHORT)])
    activity = ActivityFactory(
        owner=recruiter, contacts=[contact], context=PAYLOAD, summary=PAYLOAD, outcome=PAYLOAD
    )
    outcome = OutcomeFactory(owner=recruiter, contacts=[contact], notes=PAYLOAD)
    outcome.activities.set([activity])
    review = ReviewFactory(contact=contact, rationale=PAYLOAD, next_actions=PAYLOAD)
    reflection = Reflection.objects.create(owner=recruiter, title=SHORT, text=PAYLOAD)
    return {
        "contact": contact,
        "activity": activity,
        "review": review,
        "reflection": reflection,
        "manager": recruiter.team.manager,
    }


def _assert_shown_not_run(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("main")).to_contain_text("window.pwned=")  # shown, as text
    page.locator("main img, main b, main a").evaluate_all(
        "els => els.forEach(e => e.dispatchEvent(new MouseEvent('mouseover')))"
    )
    assert page.evaluate("window.pwned") is None, url
    assert page.locator("main script").count() == 0, url


def test_no_page_runs_a_script_typed_into_a_field(page: Page, live_server, hostile):
    page.goto(f"{live_server.url}{reverse('dashboard')}")
    sign_in(page, "priya")
    for url in [
        reverse("dashboard"),
        reverse("contacts:contact_list"),
        hostile["contact"].get_absolute_url(),
        reverse("contacts:activity_list"),
        hostile["activity"].get_absolute_url(),
        reverse("contacts:outcome_list"),
        reverse("reviews:home"),
        hostile["review"].get_absolute_url(),
        reverse("reviews:reflection_list"),
        hostile["reflection"].get_absolute_url(),
        reverse("contacts:contact_edit", args=[hostile["contact"].pk]),
        reverse("contacts:activity_edit", args=[hostile["activity"].pk]),
    ]:
        _assert_shown_not_run(page, f"{live_server.url}{url}")


def test_nor_does_a_page_that_names_the_recruiter(page: Page, live_server, hostile):
    hostile["manager"].username = "manager"
    hostile["manager"].save()
    page.goto(f"{live_server.url}{reverse('contacts:activity_list')}")
    sign_in(page, "manager")
    _assert_shown_not_run(page, f"{live_server.url}{reverse('contacts:activity_list')}")
