"""A script typed into any free-text field never runs: every page that shows the field
is opened in a real browser with a payload in it, as each role that sees it, and the
page must show the payload as text and run none of it (tests/browser/hostile.py).

This file: the recruiter, who writes most of it, and their manager, who reads it.
test_hostile_input_*.py: the DPO, the assessor, the external witness, imports and the
admin. tests/hostile_fields.py lists the fields; tests/test_hostile_fields.py fails
when a model gains one that is in no list."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from privacy.models import SensitiveConfirmation
from reviews.models import Testimony
from tests.browser.hostile import (
    assert_fields_shown,
    assert_not_run,
    assert_payloads_held,
    assert_shown_not_run,
    build_world,
)
from tests.browser.test_recruiter_flow import sign_in
from tests.hostile_fields import MANAGER, PAYLOAD, RECRUITER, tagged

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_of_the_recruiters_runs_a_script_typed_into_a_field(
    page: Page, live_server
) -> None:
    world = build_world()
    contact, activity, recruiter = world.contact, world.activity, world.recruiter
    page.goto(reverse("dashboard"))
    sign_in(page, "priya")
    for name, args in [
        ("dashboard", []),
        ("contacts:contact_list", []),
        ("contacts:contact_detail", [contact.pk]),
        ("contacts:contact_detail", [world.twin.pk]),
        ("contacts:contact_edit", [contact.pk]),
        ("contacts:contact_duplicates", []),
        ("contacts:contact_merge", [contact.pk, world.twin.pk]),
        ("contacts:activity_list", []),
        ("contacts:activity_detail", [activity.pk]),
        ("contacts:activity_edit", [activity.pk]),
        ("contacts:outcome_list", []),
        ("contacts:outcome_edit", [world.outcome.pk]),
        ("contacts:activity_create", []),
        ("contacts:outcome_create", []),
        ("reviews:reflection_create", []),
        ("consent:basis_edit", [contact.pk]),
        ("consent:consent_add", [contact.pk]),
        ("consent:notice_deliver", [contact.pk]),
        ("consent:disclosure_add", [contact.pk]),
        ("consent:privacy", []),
        ("reviews:home", []),
        ("reviews:review_detail", [world.review.pk]),
        ("reviews:review_create", [contact.pk]),
        ("reviews:cadence_edit", [contact.pk]),
        ("reviews:reflection_list", []),
        ("reviews:reflection_detail", [world.reflection.pk]),
        ("reviews:reflection_edit", [world.reflection.pk]),
        ("reviews:testimony_list", []),
        ("reviews:testimony_detail", [world.testimony.pk]),
        ("reviews:testimony_detail", [world.manager_testimony.pk]),
        ("reviews:testimony_request_create", [contact.pk]),
        ("reviews:evidence_edit", ["activity", activity.pk]),
        ("reviews:coverage", []),
        ("reviews:reminders", []),
        ("portfolio:learner", [recruiter.pk]),
        ("portfolio:export_detail", [world.export.pk]),
    ]:
        assert_shown_not_run(page, reverse(name, args=args))
    # What the search boxes were given is shown back in them.
    query = f"?q={PAYLOAD}"
    assert_shown_not_run(page, reverse("contacts:contact_list") + query)
    assert_shown_not_run(page, reverse("contacts:activity_list") + query)

    # A message typed to a contact, on the page with their link.
    page.goto(reverse("reviews:testimony_request_create", args=[contact.pk]))
    page.get_by_label("Message to them").fill(tagged("reviews.TestimonyRequest.message"))
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_label("Link", exact=True)).to_be_visible()
    assert_not_run(page)

    # Text the sensitive-data guard stops: shown back with the phrase it found, then
    # kept with a reason typed by the recruiter.
    page.goto(reverse("reviews:reflection_edit", args=[world.reflection.pk]))
    page.get_by_label("Text").fill(f"{tagged('reviews.Reflection.text')} She is pregnant.")
    page.get_by_role("button", name="Save reflection").click()
    expect(page.locator("#sensitive-findings")).to_contain_text("pregnant")
    assert_not_run(page)
    page.get_by_label("Keep this text").check()
    justification = tagged("privacy.SensitiveConfirmation.justification")
    page.get_by_label("Why (the lawful condition)").fill(justification)
    page.get_by_role("button", name="Save reflection").click()
    expect(page).to_have_url(world.reflection.get_absolute_url())
    assert_not_run(page)
    assert SensitiveConfirmation.objects.filter(justification=justification).count() == 2
    assert_payloads_held(RECRUITER)
    assert_fields_shown(page, RECRUITER)


def test_no_page_of_their_managers_runs_a_script_typed_into_a_field(
    page: Page, live_server
) -> None:
    world = build_world()
    page.goto(reverse("dashboard"))
    sign_in(page, "manager")
    for name, args in [
        ("dashboard", []),
        ("contacts:contact_list", []),
        ("contacts:contact_detail", [world.contact.pk]),
        ("contacts:activity_list", []),
        ("contacts:activity_detail", [world.activity.pk]),
        ("contacts:outcome_list", []),
        ("consent:privacy", []),
        ("reviews:home", []),
        ("reviews:review_detail", [world.review.pk]),
        ("reviews:reflection_list", []),
        ("reviews:reflection_detail", [world.reflection.pk]),
        ("reviews:testimony_list", []),
        ("reviews:testimony_detail", [world.testimony.pk]),
        ("reviews:testimony_detail", [world.manager_testimony.pk]),
        ("reviews:testimony_write", []),
        ("reviews:coverage", []),
        ("reviews:health", []),
        ("portfolio:home", []),
        ("portfolio:learner", [world.recruiter.pk]),
    ]:
        assert_shown_not_run(page, reverse(name, args=args))

    # The manager's own testimony, typed: the form names the recruiter and their work.
    write = f"{reverse('reviews:testimony_write')}?recruiter={world.recruiter.pk}"
    assert_shown_not_run(page, write)
    role, text = tagged("reviews.Testimony.witness_role"), tagged("reviews.Testimony.text")
    page.get_by_label("Your role").fill(role)
    page.get_by_label("Your statement").fill(text)
    page.get_by_role("button", name="Sign the testimony").click()
    expect(page.get_by_role("main")).to_contain_text("This field is required")  # unconfirmed
    assert_not_run(page)
    page.get_by_role("checkbox", name="I confirm").check()
    page.get_by_role("button", name="Sign the testimony").click()
    written = Testimony.objects.latest("submitted_at")
    expect(page).to_have_url(written.get_absolute_url())
    assert_not_run(page)
    assert (written.witness_role, written.text) == (role, text)
    assert_payloads_held(MANAGER)
    assert_fields_shown(page, MANAGER)
