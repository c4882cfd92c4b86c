"""The pages an assessor reads run no script typed into a field: the learners, each
piece of evidence (pseudonymised, but still the learner's text), the unit's criteria,
the sign-offs and their comments, a pack's page, and the check of an uploaded pack,
whose file names come from whoever made the ZIP. See test_hostile_input.py."""

import io
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from portfolio.pack import MANIFEST
from reviews.models import SignOff
from tests.browser.hostile import (
    assert_fields_shown,
    assert_not_run,
    assert_payloads_held,
    assert_shown_not_run,
    build_world,
)
from tests.browser.test_recruiter_flow import sign_in
from tests.hostile_fields import ASSESSOR, tagged

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# File names in a ZIP are whatever its maker wrote: the check names them back.
LISTED = "<img src=/nowhere onerror=window.pwned=8>.csv"
UNLISTED = "<svg onload=window.pwned=9>.json"


def hostile_pack() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as pack:
        pack.writestr(MANIFEST, f"{'0' * 64}  {LISTED}\n")
        pack.writestr(UNLISTED, "{}")
    return buffer.getvalue()


def test_no_page_of_the_assessors_runs_a_script_typed_into_a_field(page: Page, live_server) -> None:
    world = build_world()
    learner = reverse("portfolio:learner", args=[world.recruiter.pk])
    page.goto(reverse("portfolio:home"))
    sign_in(page, "assessor")
    assert_shown_not_run(page, reverse("portfolio:home"))
    assert_shown_not_run(page, reverse("portfolio:export_detail", args=[world.export.pk]))
    assert_shown_not_run(page, learner)

    # A comment over the limit comes back in its box; one within it is signed off.
    code = world.criterion_open.code
    comment = page.get_by_label(f"Comment for signing off {code}")
    typed = tagged("reviews.SignOff.comment")
    comment.fill(typed * 15)
    page.get_by_role("button", name=f"Sign off {code}").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    expect(comment).to_have_value(typed * 15)
    assert_not_run(page)
    comment.fill(typed)
    page.get_by_role("button", name=f"Sign off {code}").click()
    expect(page.get_by_role("alert")).to_contain_text("signed off.")
    assert_not_run(page)
    assert SignOff.objects.get(criterion=world.criterion_open).comment == typed

    # A pack made to attack the check.
    assert_shown_not_run(page, reverse("portfolio:pack_verify"), shown=False)
    page.get_by_label("Pack (ZIP)").set_input_files(
        {"name": "pack.zip", "mimeType": "application/zip", "buffer": hostile_pack()}
    )
    page.get_by_role("button", name="Check").click()
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text(f"{LISTED}: missing")
    expect(problems).to_contain_text(f"{UNLISTED}: not in the manifest")
    assert_not_run(page)
    assert_payloads_held(ASSESSOR)
    assert_fields_shown(page, ASSESSOR)
