"""GET /imports/<pk>/ while the file is read (progress) and once it is READY (the
preview, row by row, with tabs and keyset pages); POST /imports/<pk>/rows/<row>/ and
/imports/<pk>/duplicates/ to merge or skip duplicates; GET /imports/<pk>/status/."""

import csv
import html as htmllib
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Contact
from imports.models import Batch, PreviewRow, RowAction, Source, Status, Why
from netlog.progress import set_progress
from privacy.services import suppression_add
from tests.conftest import client_for
from tests.factories import ContactFactory

HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
FIRST_LINE = 2  # the row after the header


@pytest.fixture(autouse=True)
def _no_stale_progress():
    """Progress lives in the cache, keyed by batch id; ids come round again on SQLite."""
    cache.clear()


def person(first: str, last: str, email: str = "", company: str = "Acme Ltd") -> tuple:
    return (first, last, "", email, company, "Consultant", "12 Mar 2024")


def connections(*people: tuple) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(people)
    return out.getvalue().encode()


def upload(client, data: bytes, *, source: str = Source.LINKEDIN, name="Connections.csv"):
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("imports:upload"), {"source": source, "file": file})


@pytest.fixture
def preview(as_recruiter, django_capture_on_commit_callbacks):
    """Upload `people` as a LinkedIn file and run the preview job: the READY batch."""

    def make(*people: tuple) -> Batch:
        with django_capture_on_commit_callbacks(execute=True):
            upload(as_recruiter, connections(*people))
        batch = Batch.objects.order_by("-pk").first()
        assert batch.status == Status.READY, batch.problems
        return batch

    return make


@pytest.fixture
def mixed(recruiter, preview):
    """One row of each kind: a duplicate, a new person, a row without a name, and a
    row repeating an earlier one."""
    ContactFactory(owner=recruiter, first_name="Joanna", last_name="Bloggs", email="jo@example.com")
    return preview(
        person("Jo", "Bloggs", "jo@example.com"),  # line 2: merge
        person("Sam", "Patel", "sam@example.com"),  # line 3: new
        person("", "", "nobody@example.com"),  # line 4: skip, no name
        person("Sam", "Patel", "SAM@example.com"),  # line 5: skip, as row 3
    )


def url(batch: Batch, query: str = "") -> str:
    return reverse("imports:detail", args=[batch.pk]) + (f"?{query}" if query else "")


def lines(response) -> list[int]:
    return [row.line for row in response.context["page"]]


def row_html(html: str, line: int) -> str:
    found = re.search(rf'<tr id="row-{line}">(.*?)</tr>', html, re.S)
    assert found, f"no row {line} on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def count(html: str, name: str) -> int:
    return int(re.search(rf'id="count-{name}">(\d+)<', html).group(1))


def pager_link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="\?([^"]+)"', html)
    return htmllib.unescape(found.group(1)) if found else None


# While the file is read


def test_it_follows_the_job_while_the_file_is_read(as_recruiter):
    upload(as_recruiter, connections(person("Jo", "Bloggs")))  # the job is not run
    batch = Batch.objects.get()
    set_progress("import", batch.pk, 40)
    response = as_recruiter.get(url(batch))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reading your file" in html
    assert 'aria-valuenow="40"' in html
    assert f'data-status-url="{reverse("imports:status", args=[batch.pk])}"' in html


def test_the_status_says_how_far_the_job_has_got(as_recruiter):
    upload(as_recruiter, connections(person("Jo", "Bloggs")))
    batch = Batch.objects.get()
    set_progress("import", batch.pk, 40)
    response = as_recruiter.get(reverse("imports:status", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "reading",
        "label": "Reading the file",
        "progress": 40,
        "finished": False,
    }


def test_the_status_says_finished_once_the_preview_is_ready(as_recruiter, preview):
    batch = preview(person("Jo", "Bloggs"))
    response = as_recruiter.get(reverse("imports:status", args=[batch.pk]))
    assert response.json() == {
        "status": "ready",
        "label": "Ready to import",
        "progress": 100,
        "finished": True,
    }


# The preview


def test_it_lists_every_row_with_what_happens_and_why(as_recruiter, mixed):
    response = as_recruiter.get(url(mixed))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: nothing is saved yet" in html
    assert "Connections.csv: 4 rows, imported as candidate, details from LinkedIn." in html
    assert lines(response) == [2, 3, 4, 5]
    assert row_html(html, 2) == (
        "2 Jo Bloggs Consultant Acme Ltd jo@example.com merge into Joanna Bloggs Skip instead "
        "same email as a contact you have"
    )
    assert row_html(html, 3) == (
        "3 Sam Patel Consultant Acme Ltd sam@example.com new contact not in your contacts"
    )
    assert row_html(html, 4).endswith("skip no name")
    assert row_html(html, 5).endswith(
        "skip the same person as an earlier line of the file (line 3)"
    )
    assert (count(html, "create"), count(html, "merge"), count(html, "skip")) == (1, 1, 2)
    assert count(html, "suppressed") == 0
    assert "Import 1 new and merge 1" in html


@pytest.mark.parametrize(
    ("show", "expected"),
    [("new", [3]), ("duplicates", [2]), ("skipped", [4, 5]), ("all", [2, 3, 4, 5])],
)
def test_the_tabs_filter_the_rows(as_recruiter, mixed, show, expected):
    response = as_recruiter.get(url(mixed, f"show={show}"))
    assert lines(response) == expected
    assert response.context["shown"] == show
    assert f'aria-current="page" href="?show={show}"' in response.content.decode()


@pytest.mark.parametrize("show", ["bogus", "", "NEW", "match__isnull"])
def test_an_unknown_tab_shows_every_row(as_recruiter, mixed, show):
    response = as_recruiter.get(url(mixed, f"show={show}"))
    assert response.status_code == 200
    assert response.context["shown"] == "all"
    assert lines(response) == [2, 3, 4, 5]


def test_a_tab_without_rows_says_so(as_recruiter, preview):
    batch = preview(person("Sam", "Patel"))
    response = as_recruiter.get(url(batch, "show=duplicates"))
    assert lines(response) == []
    assert "No rows here." in response.content.decode()


# Pages


def test_it_pages_through_the_rows_with_keyset_cursors(as_recruiter, preview, settings):
    settings.NETLOG_PAGE_SIZE = 2
    batch = preview(*[person(f"Person{n}", "Smith", f"p{n}@example.com") for n in range(5)])
    first = as_recruiter.get(url(batch))
    assert lines(first) == [2, 3]
    assert pager_link(first.content.decode(), "prev") is None
    after = pager_link(first.content.decode(), "next")
    row_id = PreviewRow.objects.get(batch=batch, line=3).pk
    assert after == f"after={row_id}"  # an id, never a name

    second = as_recruiter.get(url(batch, after))
    assert lines(second) == [4, 5]
    third = as_recruiter.get(url(batch, pager_link(second.content.decode(), "next")))
    assert lines(third) == [6]
    assert pager_link(third.content.decode(), "next") is None

    back = as_recruiter.get(url(batch, pager_link(third.content.decode(), "prev")))
    assert lines(back) == [4, 5]


def test_pages_keep_to_the_tab(as_recruiter, recruiter, preview, settings):
    settings.NETLOG_PAGE_SIZE = 2
    for n in (1, 3, 5):
        ContactFactory(owner=recruiter, email=f"p{n}@example.com")
    batch = preview(*[person(f"Person{n}", "Smith", f"p{n}@example.com") for n in range(6)])
    first = as_recruiter.get(url(batch, "show=new"))
    assert lines(first) == [2, 4]
    after = pager_link(first.content.decode(), "next")
    assert after.startswith("show=new&after=")
    assert lines(as_recruiter.get(url(batch, after))) == [6]


@pytest.mark.parametrize("cursor", ["abc", "-1", "0", "99999999", "1e3"])
def test_a_bad_cursor_gives_the_first_page(as_recruiter, preview, settings, cursor):
    settings.NETLOG_PAGE_SIZE = 2
    batch = preview(*[person(f"Person{n}", "Smith") for n in range(3)])
    response = as_recruiter.get(url(batch, f"after={cursor}"))
    assert response.status_code == 200
    assert lines(response) == [2, 3]


def test_a_cursor_from_another_import_gives_the_first_page(
    as_recruiter, preview, outsider, settings
):
    settings.NETLOG_PAGE_SIZE = 2
    mine = preview(*[person(f"Person{n}", "Smith") for n in range(3)])
    other = preview(*[person(f"Other{n}", "Jones") for n in range(3)])
    foreign = PreviewRow.objects.get(batch=other, line=2).pk
    assert lines(as_recruiter.get(url(mine, f"after={foreign}"))) == [2, 3]


def test_its_queries_do_not_grow_with_the_rows(
    as_recruiter, recruiter, preview, django_assert_max_num_queries
):
    def batch_of(n: int) -> Batch:
        people = []
        for i in range(n):
            ContactFactory(owner=recruiter, email=f"held{n}-{i}@example.com")
            people += [
                person(f"Dup{i}", "Smith", f"held{n}-{i}@example.com"),  # a merge, with a match
                person(f"New{i}", "Jones", f"new{n}-{i}@example.com"),
            ]
        return preview(*people)

    small, large = batch_of(1), batch_of(20)
    # the session, the user, the batch, the counts, one page of rows with their matches
    with django_assert_max_num_queries(5) as few:
        as_recruiter.get(url(small))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_recruiter.get(url(large))
    assert len(lines(response)) == 40


# Suppressed people


def test_people_who_asked_to_be_erased_are_counted_never_listed(
    as_recruiter, preview, django_capture_on_commit_callbacks
):
    suppression_add(emails=["Erin.Gone@example.com"])
    batch = preview(
        person("Jo", "Bloggs", "jo@example.com"),
        person("Erin", "Gone", "erin.gone@example.com", company="Vanished plc"),
    )
    assert batch.suppressed == 1
    assert not PreviewRow.objects.filter(email__iexact="erin.gone@example.com").exists()
    assert not PreviewRow.objects.filter(first_name="Erin").exists()
    assert list(PreviewRow.objects.values_list("line", flat=True)) == [2]
    for show in ["all", "new", "duplicates", "skipped"]:
        html = as_recruiter.get(url(batch, f"show={show}")).content.decode()
        assert count(html, "suppressed") == 1
        for secret in ["Erin", "Gone", "erin.gone@example.com", "Vanished"]:
            assert secret not in html, (show, secret)
    status = as_recruiter.get(reverse("imports:status", args=[batch.pk])).content.decode()
    assert "Erin" not in status

    with django_capture_on_commit_callbacks(execute=True):
        as_recruiter.post(reverse("imports:commit", args=[batch.pk]))
    result = as_recruiter.get(url(batch)).content.decode()
    assert "1 left out because that person asked us to erase their details" in result
    assert "Erin" not in result
    assert list(Contact.objects.values_list("email", flat=True)) == ["jo@example.com"]


def test_a_suppressed_phone_leaves_the_card_out(as_recruiter, django_capture_on_commit_callbacks):
    suppression_add(phones=["+44 7700 900123"])
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Gone;Erin;;;\r\nFN:Erin Gone\r\n"
        "TEL;TYPE=CELL:+44 7700 900 123\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_recruiter, card.encode(), source=Source.VCARD, name="phone.vcf")
    batch = Batch.objects.get()
    assert (batch.status, batch.suppressed) == (Status.READY, 1)
    assert list(PreviewRow.objects.values_list("first_name", flat=True)) == ["Ada"]
    html = as_recruiter.get(url(batch)).content.decode()
    assert "Erin" not in html and "7700" not in html


def test_a_duplicate_whose_contact_was_deleted_is_shown_as_it_will_be_imported(
    as_recruiter, mixed, django_capture_on_commit_callbacks
):
    Contact.objects.get(email="jo@example.com").delete()
    html = as_recruiter.get(url(mixed)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        as_recruiter.post(reverse("imports:commit", args=[mixed.pk]))
    assert Contact.objects.filter(email="jo@example.com").exists()  # imported as new
    assert "new contact" in row_html(html, 2)
    assert (count(html, "create"), count(html, "merge")) == (2, 0)


# Merge or skip one duplicate


def choose(client, batch: Batch, line: int, action: str, **extra):
    row = PreviewRow.objects.get(batch=batch, line=line)
    return client.post(
        reverse("imports:choose", args=[batch.pk, row.pk]), {"action": action, **extra}
    )


def test_a_duplicate_can_be_skipped_and_merged_again(as_recruiter, mixed):
    response = choose(as_recruiter, mixed, 2, RowAction.SKIP, show="duplicates")
    assert response.status_code == 302
    assert response.url == url(mixed, "show=duplicates")
    mixed.refresh_from_db()
    assert (mixed.to_create, mixed.to_merge, mixed.to_skip) == (1, 0, 3)
    html = as_recruiter.get(response.url).content.decode()
    assert row_html(html, 2).startswith("2 Jo Bloggs Consultant Acme Ltd jo@example.com skip Merge")
    assert (count(html, "merge"), count(html, "skip")) == (0, 3)

    choose(as_recruiter, mixed, 2, RowAction.MERGE)
    mixed.refresh_from_db()
    assert (mixed.to_create, mixed.to_merge, mixed.to_skip) == (1, 1, 2)
    assert PreviewRow.objects.get(batch=mixed, line=2).action == RowAction.MERGE


def test_it_goes_back_to_the_preview_without_an_unknown_tab(as_recruiter, mixed):
    response = choose(as_recruiter, mixed, 2, RowAction.SKIP, show="https://evil.example")
    assert response.url == url(mixed)


@pytest.mark.parametrize("line", [3, 4, 5])
def test_a_row_that_is_not_a_duplicate_cannot_be_chosen(as_recruiter, mixed, line):
    before = dict(PreviewRow.objects.filter(batch=mixed).values_list("line", "action"))
    response = choose(as_recruiter, mixed, line, RowAction.MERGE)
    assert response.status_code == 302
    page = as_recruiter.get(response.url).content.decode()
    assert "Only a duplicate of a contact you have can be merged or skipped." in page
    assert dict(PreviewRow.objects.filter(batch=mixed).values_list("line", "action")) == before
    mixed.refresh_from_db()
    assert (mixed.to_create, mixed.to_merge, mixed.to_skip) == (1, 1, 2)


@pytest.mark.parametrize("action", ["create", "delete", ""])
def test_only_merge_or_skip_may_be_chosen(as_recruiter, mixed, action):
    response = choose(as_recruiter, mixed, 2, action)
    page = as_recruiter.get(response.url).content.decode()
    assert "Choose merge or skip." in page
    assert PreviewRow.objects.get(batch=mixed, line=2).action == RowAction.MERGE


def test_a_row_of_another_import_is_not_found(as_recruiter, mixed, preview):
    other = preview(person("Ann", "Other"))
    row = PreviewRow.objects.get(batch=other)
    response = as_recruiter.post(
        reverse("imports:choose", args=[mixed.pk, row.pk]), {"action": RowAction.SKIP}
    )
    assert response.status_code == 404


def test_nothing_can_be_chosen_once_the_import_has_started(as_recruiter, mixed):
    Batch.objects.filter(pk=mixed.pk).update(status=Status.IMPORTING)
    choose(as_recruiter, mixed, 2, RowAction.SKIP)
    assert PreviewRow.objects.get(batch=mixed, line=2).action == RowAction.MERGE


# Merge or skip every duplicate


@pytest.fixture
def two_duplicates(recruiter, preview):
    ContactFactory(owner=recruiter, email="jo@example.com")
    ContactFactory(owner=recruiter, email="ann@example.com")
    return preview(
        person("Jo", "Bloggs", "jo@example.com"),
        person("Ann", "Lee", "ann@example.com"),
        person("Sam", "Patel", "sam@example.com"),
        person("", "", ""),
    )


def test_every_duplicate_can_be_skipped_then_merged(as_recruiter, two_duplicates):
    batch = two_duplicates
    all_url = reverse("imports:choose_all", args=[batch.pk])
    response = as_recruiter.post(all_url, {"action": "skip", "show": "duplicates"}, follow=True)
    assert response.redirect_chain[-1][0] == url(batch, "show=duplicates")
    assert "Every duplicate will be skipped." in response.content.decode()
    batch.refresh_from_db()
    assert (batch.to_create, batch.to_merge, batch.to_skip) == (1, 0, 3)
    new = PreviewRow.objects.get(batch=batch, line=4)
    nameless = PreviewRow.objects.get(batch=batch, line=5)
    assert (new.action, nameless.action) == (RowAction.CREATE, RowAction.SKIP)

    response = as_recruiter.post(all_url, {"action": "merge"}, follow=True)
    assert "Every duplicate will be merged into the contacts you have." in response.content.decode()
    batch.refresh_from_db()
    assert (batch.to_create, batch.to_merge, batch.to_skip) == (1, 2, 1)
    assert PreviewRow.objects.get(batch=batch, line=5).why == Why.NO_NAME  # not touched
    assert PreviewRow.objects.get(batch=batch, line=5).action == RowAction.SKIP


def test_every_duplicate_needs_merge_or_skip(as_recruiter, two_duplicates):
    response = as_recruiter.post(
        reverse("imports:choose_all", args=[two_duplicates.pk]), {"action": "create"}, follow=True
    )
    assert "Choose merge or skip." in response.content.decode()
    assert not PreviewRow.objects.filter(batch=two_duplicates, action=RowAction.CREATE).exclude(
        line=4
    )


# Access


@pytest.fixture
def routes(mixed):
    row = PreviewRow.objects.get(batch=mixed, line=2)
    return {
        "detail": reverse("imports:detail", args=[mixed.pk]),
        "status": reverse("imports:status", args=[mixed.pk]),
        "choose": reverse("imports:choose", args=[mixed.pk, row.pk]),
        "choose_all": reverse("imports:choose_all", args=[mixed.pk]),
    }


@pytest.mark.parametrize("who", ["outsider", "teammate"])
@pytest.mark.parametrize("name", ["detail", "status", "choose", "choose_all"])
def test_another_recruiters_import_is_not_found(request, routes, mixed, who, name):
    client = client_for(request.getfixturevalue(who))
    response = (
        client.get(routes[name])
        if name in {"detail", "status"}
        else client.post(routes[name], {"action": RowAction.SKIP})
    )
    assert response.status_code == 404
    assert PreviewRow.objects.get(batch=mixed, line=2).action == RowAction.MERGE


@pytest.mark.parametrize("role", ["manager", "dpo", "assessor"])
@pytest.mark.parametrize("name", ["detail", "status", "choose", "choose_all"])
def test_only_recruiters_see_imports(request, routes, mixed, role, name):
    client = client_for(request.getfixturevalue(role))
    response = (
        client.get(routes[name])
        if name in {"detail", "status"}
        else client.post(routes[name], {"action": RowAction.SKIP})
    )
    assert response.status_code == 403
    assert PreviewRow.objects.get(batch=mixed, line=2).action == RowAction.MERGE


@pytest.mark.parametrize("name", ["choose", "choose_all"])
def test_choosing_rejects_get(as_recruiter, routes, mixed, name):
    assert as_recruiter.get(routes[name]).status_code == 405
    mixed.refresh_from_db()
    assert mixed.to_merge == 1


def test_an_import_that_does_not_exist_is_not_found(as_recruiter, db):
    assert as_recruiter.get(reverse("imports:detail", args=[999999])).status_code == 404
    assert as_recruiter.get(reverse("imports:status", args=[999999])).status_code == 404
