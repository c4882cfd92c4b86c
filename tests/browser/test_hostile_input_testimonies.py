"""The pages open to anyone run no script typed into a field: the testimony link's page,
which shows a witness with no account the recruiter's name, message and activities,
takes their statement and shows it back when something is missing; and the sign-in
page, which shows back the username typed. See test_hostile_input.py."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import Page, expect

from reviews.models import Testimony
from tests.browser.hostile import (
    assert_fields_shown,
    assert_not_run,
    assert_payloads_held,
    assert_shown_not_run,
    build_world,
)
from tests.hostile_fields import PAYLOAD, WITNESS, tagged

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_public_page_runs_a_script_typed_into_a_field(page: Page, live_server) -> None:
    cache.clear()  # the link page's rate limit counts in the cache the tests share
    world = build_world()

    # The link moves its token into the session and lands on the bare page.
    assert_shown_not_run(page, f"{reverse('reviews:testimony_public')}?t={world.testimony_token}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("A testimony for")
    expect(page.get_by_label("Your name")).to_have_value(world.contact.name)
    assert_payloads_held(WITNESS)

    # Sent unconfirmed: everything typed comes back in the form.
    typed = [
        tagged(f"reviews.Testimony.{field}") for field in ["witness_name", "witness_role", "text"]
    ]
    page.get_by_label("Your name").fill(typed[0])
    page.get_by_label("Your role").fill(typed[1])
    page.get_by_label("How you know them").select_option(label="A client")
    page.get_by_label("Your statement").fill(typed[2])
    page.get_by_role("button", name="Sign and send").click()
    expect(page.get_by_label("Your statement")).to_have_value(typed[2])
    assert_not_run(page)
    page.get_by_role("checkbox", name="I confirm").check()
    page.get_by_role("button", name="Sign and send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_not_run(page)
    signed = Testimony.objects.latest("submitted_at")
    assert [signed.witness_name, signed.witness_role, signed.text] == typed

    # The sign-in page shows back the username and keeps where to go next.
    page.goto(f"{reverse('login')}?next={quote(PAYLOAD)}")
    page.get_by_label("Username").fill(PAYLOAD)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Username")).to_have_value(PAYLOAD)
    assert_not_run(page)
    assert_fields_shown(page, WITNESS)
