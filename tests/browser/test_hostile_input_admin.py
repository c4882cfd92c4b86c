"""Django's admin runs no script typed into a field: it is where teams, users, the
unit's wording, bank holidays and the sensitive-data guard's phrases are typed, and
the only place some of them are shown. See test_hostile_input.py."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from accounts.models import Role
from tests.browser.hostile import (
    assert_fields_shown,
    assert_payloads_held,
    assert_shown_not_run,
    build_world,
)
from tests.factories import PASSWORD, UserFactory
from tests.hostile_fields import ADMIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_admin_page_runs_a_script_typed_into_a_field(page: Page, live_server) -> None:
    world = build_world()
    UserFactory(username="root", role=Role.DPO, is_staff=True, is_superuser=True)
    page.goto(reverse("admin:index"))
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert_shown_not_run(page, reverse("admin:index"), shown=False)  # the menu's name only
    outcome = world.criterion_signed.outcome
    for name, args, query in [
        ("admin:accounts_team_changelist", [], ""),
        ("admin:accounts_team_change", [world.recruiter.team_id], ""),
        ("admin:accounts_user_changelist", [], ""),
        ("admin:accounts_user_change", [world.recruiter.pk], ""),
        ("admin:contacts_contact_changelist", [], ""),
        ("admin:contacts_contact_change", [world.contact.pk], ""),
        ("admin:contacts_tag_changelist", [], ""),
        ("admin:consent_bankholiday_changelist", [], "?date__year=2099"),
        ("admin:privacy_sensitiveterm_changelist", [], "?q=onmouseover"),
        ("admin:reviews_unit_changelist", [], ""),
        ("admin:reviews_unit_change", [outcome.unit_id], ""),
        ("admin:reviews_learningoutcome_changelist", [], ""),
        ("admin:reviews_learningoutcome_change", [outcome.pk], ""),
        ("admin:portfolio_assignment_changelist", [], ""),
    ]:
        assert_shown_not_run(page, reverse(name, args=args) + query)
    assert_payloads_held(ADMIN)
    assert_fields_shown(page, ADMIN)
