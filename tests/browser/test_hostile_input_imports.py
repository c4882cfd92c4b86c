"""An imported file runs no script on the pages that show it: its name (whatever the
uploader's computer called it), its cells on the preview, its column names on the
mapping page, a bad cell quoted in the reasons it was refused, and the contacts it made.
Files from LinkedIn, a phone's address book and a spreadsheet. See test_hostile_input.py."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from imports import services, tasks
from imports.models import Batch, PreviewRow
from tests.browser.hostile import (
    assert_fields_shown,
    assert_not_run,
    assert_payloads_held,
    assert_shown_not_run,
    build_world,
    hostile,
)
from tests.browser.test_recruiter_flow import sign_in
from tests.hostile_fields import EMAIL, IMPORTER, PAYLOAD, SHORT, URL, tagged
from tests.imports.files import linkedin_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A name an upload may carry (a browser sends it as the file was called; Django keeps
# everything after the last slash).
FILE_NAME = tagged("imports.Batch.file_name", "<img src=x onerror=window.pwned=8>.csv")
# A row's cells, each with its field's tag (so never the held contact's values, which
# would match it).
ROW = hostile(
    PreviewRow,
    first_name=SHORT,
    last_name=SHORT,
    email=EMAIL,
    profile_url=URL,
    organisation=SHORT,
    role=PAYLOAD,
)
NAMES = [ROW["first_name"], ROW["last_name"]]
NEWCOMER = [*NAMES, ROW["profile_url"], "", ROW["organisation"], ROW["role"], "03 Mar 2024"]


def vcard() -> bytes:
    card = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{ROW['last_name']};{ROW['first_name']};;;",
        f"FN:{ROW['first_name']} {ROW['last_name']}",
        f"ORG:{ROW['organisation']}",
        f"TITLE:{ROW['role']}",
        f"EMAIL;TYPE=INTERNET:{ROW['email']}",
        "END:VCARD",
        "",
    ]
    return "\r\n".join(card).encode()


@pytest.fixture
def held_previews(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The imports whose preview job an upload queued, run when the test says (else
    they run at once, with no broker, and the reading page is never seen)."""
    held: list[int] = []
    queue = services._queue
    monkeypatch.setattr(
        services,
        "_queue",
        lambda job, batch: held.append(batch.pk) if job == "preview" else queue(job, batch),
    )
    return held


def upload(page: Page, source: str, name: str, data: bytes) -> None:
    page.goto(reverse("imports:upload"))
    page.get_by_role("radio", name=source).check()
    page.get_by_label("File").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Upload and preview").click()


def test_no_page_of_an_import_runs_a_script_from_the_file(
    page: Page, live_server, held_previews: list[int]
) -> None:
    world = build_world()
    page.goto(reverse("imports:upload"))
    sign_in(page, "priya")

    # LinkedIn's connections: someone new (twice: the second is skipped) and, by their
    # email, the contact held.
    same_email = [*NAMES, "", world.contact.email, PAYLOAD, PAYLOAD, ""]
    upload(
        page, "LinkedIn Connections.csv", FILE_NAME, linkedin_csv([NEWCOMER, NEWCOMER, same_email])
    )
    expect(page.get_by_role("heading", name="Reading your file")).to_be_visible()
    assert_shown_not_run(page, page.url)
    (linkedin,) = held_previews
    tasks.preview(linkedin)
    preview = reverse("imports:detail", args=[linkedin])
    assert_shown_not_run(page, preview)
    expect(page.get_by_role("main")).to_contain_text(f"merge into {world.contact.name}")
    for shown in ["new", "duplicates", "skipped"]:
        assert_shown_not_run(page, f"{preview}?show={shown}")

    # A phone's address book: left as a preview, whose rows then hold the payloads.
    upload(page, "vCard (.vcf) from a phone or address book", "contacts.vcf", vcard())
    tasks.preview(held_previews[-1])
    assert_shown_not_run(page, reverse("imports:detail", args=[held_previews[-1]]))

    # A spreadsheet whose columns are named with payloads: the mapping page lists them.
    upload(
        page,
        "Another CSV (you map its columns)",
        "sheet.csv",
        f"{SHORT},{SHORT}\r\nAda,B\r\n".encode(),
    )
    expect(page.get_by_role("heading", name="Which column holds what?")).to_be_visible()
    assert_shown_not_run(page, page.url)

    # A cell no address can be: refused, and quoted in the reason.
    bad_email = [*NAMES, "", "<img src=x onerror=window.pwned=8>", "", "", ""]
    upload(page, "LinkedIn Connections.csv", "Connections.csv", linkedin_csv([bad_email]))
    tasks.preview(held_previews[-1])
    assert_shown_not_run(page, reverse("imports:detail", args=[held_previews[-1]]))
    expect(page.get_by_role("alert")).to_contain_text("is not a valid email address")
    assert_payloads_held(IMPORTER)

    # The LinkedIn file imported: what it made is shown like any contact.
    page.goto(preview)
    page.get_by_role("button", name="Import 1 new and merge 1").click()
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    assert_not_run(page)
    assert_shown_not_run(page, reverse("contacts:contact_list") + "?sort=newest")
    newest = world.recruiter.contacts.latest("id")
    made = (newest.organisation, newest.role, newest.profile_url)
    assert made == (ROW["organisation"], ROW["role"], ROW["profile_url"])
    assert_shown_not_run(page, newest.get_absolute_url())
    assert Batch.objects.filter(file_name=FILE_NAME).count() == 0  # forgotten once done
    assert_fields_shown(page, IMPORTER)
