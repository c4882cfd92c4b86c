"""The data protection officer's pages run no script typed into a field: the requests
(who asked, the reasons), the access report, which gathers everything held about a
person, the erasure record's recipients, retention, the audit log, the notices, and
the agency's records the DPO reads. See test_hostile_input.py."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from privacy.models import DataRequest
from tests.browser.hostile import (
    assert_fields_shown,
    assert_not_run,
    assert_payloads_held,
    assert_shown_not_run,
    build_world,
)
from tests.browser.test_recruiter_flow import sign_in
from tests.hostile_fields import DPO, tagged

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_of_the_dpos_runs_a_script_typed_into_a_field(page: Page, live_server) -> None:
    world = build_world()
    access = world.access_request
    page.goto(reverse("dashboard"))
    sign_in(page, "dpo")
    for name, args in [
        ("dashboard", []),
        ("contacts:contact_list", []),
        ("contacts:contact_detail", [world.contact.pk]),
        ("contacts:activity_list", []),
        ("contacts:activity_detail", [world.activity.pk]),
        ("contacts:outcome_list", []),
        ("reviews:review_detail", [world.review.pk]),
        ("reviews:reflection_detail", [world.reflection.pk]),
        ("reviews:testimony_list", []),
        ("reviews:testimony_detail", [world.testimony.pk]),
        ("consent:privacy", []),
        ("privacy:request_detail", [access.pk]),
        ("privacy:request_detail", [world.refused_request.pk]),
        ("privacy:request_detail", [world.erased_request.pk]),
        ("privacy:access_report", [access.pk]),
        ("privacy:retention", []),
        ("privacy:audit_list", []),
    ]:
        assert_shown_not_run(page, reverse(name, args=args))
    # Pages whose only payloads are the DPO's own name, in the menu.
    for name in ["privacy:request_list", "privacy:request_new", "consent:notice_publish"]:
        assert_shown_not_run(page, reverse(name), shown=False)

    # The access report as a download: JSON, never read as a page.
    download = page.request.get(reverse("privacy:access_download", args=[access.pk]))
    assert download.ok
    assert download.headers["content-type"] == "application/json"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert tagged("contacts.Contact.notes") in download.json()["records"][0]["notes"]

    # A request received: typed back into the form when something is missing, then
    # shown with the records that may be the person's (same name, same email).
    page.goto(reverse("privacy:request_new"))
    page.get_by_role("radio", name="Access").check()
    page.get_by_label("Their name").fill(world.contact.name)
    page.get_by_label("Their email").fill(world.contact.email)
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_label("How it came")).to_have_attribute("aria-invalid", "true")
    assert_not_run(page)
    page.get_by_label("How it came").select_option(label="Email (written)")
    page.get_by_role("button", name="Record the request").click()
    received = DataRequest.objects.latest("id")
    expect(page).to_have_url(received.get_absolute_url())
    expect(page.get_by_text("Records that may be theirs")).to_be_visible()
    assert_not_run(page)
    assert received.requester_name == world.contact.name

    # An extension and a refusal, typed.
    page.get_by_text("Extend for a complex request").click()
    extension = tagged("privacy.DataRequest.extension_reason")
    page.get_by_label("Why the request is complex").fill(extension)
    page.get_by_role("button", name="Extend by two months").click()
    expect(page.get_by_role("main")).to_contain_text("extended (person told")
    assert_not_run(page)
    steps = page.get_by_role("list", name="Steps")
    steps.get_by_text("Refuse", exact=True).click()
    refusal = tagged("privacy.DataRequest.refusal_reason")
    steps.get_by_label("Reason for refusing").fill(refusal)
    steps.get_by_role("button", name="Refuse the request").click()
    expect(page.locator("#request-status")).to_have_text("Refused")
    assert_not_run(page)
    received.refresh_from_db()
    assert (received.extension_reason, received.refusal_reason) == (extension, refusal)

    # A new privacy notice, typed.
    page.goto(reverse("consent:notice_publish"))
    page.get_by_label("Notice text").fill(tagged("consent.PrivacyNotice.text"))
    page.get_by_role("button", name="Publish").click()
    expect(page).to_have_url(reverse("consent:privacy"))
    assert_not_run(page)
    assert_payloads_held(DPO)
    assert_fields_shown(page, DPO)
