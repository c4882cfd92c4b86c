"""POST /imports/: upload a LinkedIn Connections.csv, a vCard or another CSV. A file
that cannot be read at all is refused on the upload page (400) with the reason, and
nothing is kept; a bad row is found by the preview job, which refuses the whole file."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Channel, Contact, Kind
from imports.models import DEFAULT_CHANNEL, DEFAULT_KIND, Batch, PreviewRow, Source, Status
from tests.conftest import client_for

URL = reverse("imports:upload")
PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\r\n'
    "\r\n"
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
JO = (
    "Jo",
    "Bloggs",
    "https://www.linkedin.com/in/jo-bloggs",
    "jo@example.com",
    "Acme Ltd",
    "Engineer",
    "12 Mar 2024",
)
SAM = ("Sam", "Patel", "", "", "Initech", "Analyst", "01 Feb 2023")
FIRST_LINE = 5  # after the preamble's three lines and the header


def linkedin_csv(*people: tuple[str, ...], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(people)
    return (PREAMBLE + out.getvalue()).encode()


def vcard(*, given: str = "Ada", family: str = "Lovelace", end: bool = True) -> bytes:
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{family};{given};;;",
        f"FN:{given} {family}",
        "EMAIL;TYPE=INTERNET:ada@example.com",
        "TEL;TYPE=CELL:+44 7700 900123",
        "ORG:Analytical Engines",
    ]
    if end:
        lines.append("END:VCARD")
    return ("\r\n".join(lines) + "\r\n").encode()


def form(source: str, name: str, data: bytes, **fields) -> dict:
    return {
        "source": source,
        "file": SimpleUploadedFile(name, data),
        "kind": "",
        "channel": "",
        **fields,
    }


def error_of(response) -> str:
    return " ".join(response.context["form"].errors.get("file", []))


def assert_nothing_kept():
    assert Contact.objects.count() == 0
    assert Batch.objects.count() == 0
    assert PreviewRow.objects.count() == 0


# The page


def test_it_shows_the_upload_form_with_the_size_limit(as_recruiter, settings):
    settings.IMPORT_MAX_MB = 7
    response = as_recruiter.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Files up to 7 MB." in html


def test_it_lists_only_the_recruiters_own_recent_imports(
    as_recruiter, recruiter, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_recruiter.post(URL, form(Source.LINKEDIN, "Connections.csv", linkedin_csv(JO)))
        client_for(outsider).post(URL, form(Source.LINKEDIN, "Theirs.csv", linkedin_csv(SAM)))
    response = as_recruiter.get(URL)
    assert [b.owner for b in response.context["recent"]] == [recruiter]


# Happy paths


def test_it_reads_a_linkedin_file_into_a_preview(
    as_recruiter, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_recruiter.post(
            URL, form(Source.LINKEDIN, "Connections.csv", linkedin_csv(JO, SAM))
        )
    batch = Batch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:detail", args=[batch.pk])
    assert len(callbacks) == 1  # the preview job, queued once the upload committed
    assert (batch.owner, batch.status, batch.rows) == (recruiter, Status.READY, 2)
    assert (batch.kind, batch.channel) == (Kind.CANDIDATE, Channel.LINKEDIN)
    page = as_recruiter.get(response.url).content.decode()
    assert "Jo Bloggs" in page and "Sam Patel" in page
    assert Contact.objects.count() == 0  # nothing is saved before the commit


def test_a_linkedin_file_without_the_preamble_is_read_too(
    as_recruiter, django_capture_on_commit_callbacks
):
    data = linkedin_csv(JO)[len(PREAMBLE) :]
    with django_capture_on_commit_callbacks(execute=True):
        as_recruiter.post(URL, form(Source.LINKEDIN, "Connections.csv", data))
    assert Batch.objects.get().status == Status.READY


def test_it_reads_a_vcard_file_into_a_preview(as_recruiter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_recruiter.post(URL, form(Source.VCARD, "contacts.vcf", vcard()))
    batch = Batch.objects.get()
    assert response.url == reverse("imports:detail", args=[batch.pk])
    assert (batch.status, batch.rows) == (Status.READY, 1)
    row = PreviewRow.objects.get()
    assert (row.name, row.email, row.phone) == (
        "Ada Lovelace",
        "ada@example.com",
        "+44 7700 900123",
    )
    assert "Ada Lovelace" in as_recruiter.get(response.url).content.decode()


def test_another_csv_goes_first_to_the_columns_page(
    as_recruiter, django_capture_on_commit_callbacks
):
    data = b"Name,Work Email,Employer\r\nGrace Hopper,grace@example.com,Navy\r\n"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_recruiter.post(URL, form(Source.CSV, "people.csv", data), follow=True)
    batch = Batch.objects.get()
    assert callbacks == []  # no job until the columns are mapped
    assert response.redirect_chain[-1][0] == reverse("imports:columns", args=[batch.pk])
    assert batch.status == Status.MAPPING
    assert batch.mapping == {"full_name": "Name", "email": "Work Email", "organisation": "Employer"}
    assert "Which column holds what?" in response.content.decode()
    assert PreviewRow.objects.count() == 0


# Defaults and the channel


@pytest.mark.parametrize(
    ("source", "name", "data"),
    [
        (Source.LINKEDIN, "Connections.csv", linkedin_csv(JO)),
        (Source.VCARD, "contacts.vcf", vcard()),
        (Source.CSV, "people.csv", b"First name,Surname\r\nGrace,Hopper\r\n"),
    ],
)
def test_blank_kind_and_channel_take_the_sources_defaults(
    as_recruiter, django_capture_on_commit_callbacks, source, name, data
):
    with django_capture_on_commit_callbacks(execute=True):
        as_recruiter.post(URL, form(source, name, data))
    batch = Batch.objects.get()
    assert batch.kind == DEFAULT_KIND[source]
    assert batch.channel == DEFAULT_CHANNEL[source]


def test_the_chosen_kind_and_channel_are_kept(as_recruiter, django_capture_on_commit_callbacks):
    fields = {"kind": Kind.CLIENT, "channel": Channel.REFERRAL}
    with django_capture_on_commit_callbacks(execute=True):
        as_recruiter.post(URL, form(Source.VCARD, "contacts.vcf", vcard(), **fields))
    batch = Batch.objects.get()
    assert (batch.kind, batch.channel) == (Kind.CLIENT, Channel.REFERRAL)


@pytest.mark.parametrize("channel", [Channel.INBOUND, Channel.JOB_BOARD, Channel.EVENT])
def test_a_channel_where_the_person_gave_their_details_is_refused(as_recruiter, channel):
    data = form(Source.LINKEDIN, "Connections.csv", linkedin_csv(JO), channel=channel)
    response = as_recruiter.post(URL, data)
    assert response.status_code == 400
    assert "Select a valid choice" in " ".join(response.context["form"].errors["channel"])
    assert_nothing_kept()


def test_an_unknown_kind_is_refused(as_recruiter):
    data = form(Source.LINKEDIN, "Connections.csv", linkedin_csv(JO), kind="friend")
    response = as_recruiter.post(URL, data)
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert_nothing_kept()


# Files refused at upload: the reason on the page, nothing kept


@pytest.mark.parametrize(
    ("source", "name", "data", "message"),
    [
        (
            Source.LINKEDIN,
            "Connections.xlsx",
            b"PK\x03\x04" + b"\x00" * 64,
            "file ends in .csv; this one is \u201c.xlsx\u201d",
        ),
        (
            Source.CSV,
            "people.xlsx",
            b"PK\x03\x04" + b"\x00" * 64,
            "file ends in .csv or .txt; this one is \u201c.xlsx\u201d",
        ),
        (
            Source.LINKEDIN,
            "Connections.csv",
            b"PK\x03\x04" + b"\x00" * 64,
            "This looks like an Excel workbook or another zipped file",
        ),
        (
            Source.CSV,
            "people.csv",
            b"PK\x03\x04" + b"\x00" * 64,
            "This looks like an Excel workbook or another zipped file",
        ),
        (
            Source.VCARD,
            "contacts.txt",
            vcard(),
            "file ends in .vcard or .vcf; this one is \u201c.txt\u201d",
        ),
        (
            Source.LINKEDIN,
            "Connections",
            linkedin_csv(JO),
            "this one is \u201cwithout an extension\u201d",
        ),
        (
            Source.LINKEDIN,
            "Connections.csv",
            (PREAMBLE + "First Name,Last Name\r\nCafé,Nero\r\n").encode("cp1252"),
            "The file is not UTF-8 text (line 5",
        ),
        (
            Source.VCARD,
            "contacts.vcf",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Café\r\nEND:VCARD\r\n".encode("cp1252"),
            "The file is not UTF-8 text",
        ),
        (
            Source.LINKEDIN,
            "Connections.csv",
            b"Name,Email\r\nJo Bloggs,jo@example.com\r\n",
            "This is not LinkedIn\u2019s Connections.csv".replace("\u2019", "'"),
        ),
        (
            Source.VCARD,
            "contacts.vcf",
            b"Name,Email\r\nJo Bloggs,jo@example.com\r\n",
            "not a vCard file",
        ),
        (Source.VCARD, "contacts.vcf", vcard(end=False), "The vCard file is broken"),
        (Source.CSV, "people.csv", b"\r\n\r\n\r\n ", "The file is empty."),
    ],
    ids=[
        "xlsx-name-linkedin",
        "xlsx-name-csv",
        "zip-bytes-linkedin",
        "zip-bytes-csv",
        "txt-for-vcard",
        "no-extension",
        "cp1252-csv",
        "cp1252-vcard",
        "no-linkedin-columns",
        "csv-for-vcard",
        "vcard-without-end",
        "blank-file",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(
    as_recruiter, django_capture_on_commit_callbacks, source, name, data, message
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_recruiter.post(URL, form(source, name, data))
    assert response.status_code == 400
    assert message.lower() in error_of(response).lower()
    html = response.content.decode()
    assert "Nothing was saved." in html
    assert 'id="error_1_id_file"' in html  # the reason is shown by the file field
    assert callbacks == []
    assert_nothing_kept()


def test_missing_first_or_last_name_columns_are_refused(as_recruiter):
    header = ["First Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    data = linkedin_csv(("Jo", "", "jo@example.com", "Acme", "Engineer", ""), header=header)
    response = as_recruiter.post(URL, form(Source.LINKEDIN, "Connections.csv", data))
    assert response.status_code == 400
    assert "no header row with the columns First Name, Last Name" in error_of(response)
    assert_nothing_kept()


def test_an_empty_file_is_refused(as_recruiter):
    response = as_recruiter.post(URL, form(Source.LINKEDIN, "Connections.csv", b""))
    assert response.status_code == 400
    assert "empty" in error_of(response)
    assert_nothing_kept()


def test_a_file_over_the_size_limit_is_refused(as_recruiter, settings):
    settings.IMPORT_MAX_MB = 1
    data = linkedin_csv(JO)
    data += b"x" * (1024 * 1024 + 1 - len(data))
    response = as_recruiter.post(URL, form(Source.LINKEDIN, "Connections.csv", data))
    assert response.status_code == 400
    assert "The file is larger than 1 MB." in error_of(response)
    assert "The file is larger than 1 MB." in response.content.decode()
    assert_nothing_kept()


def test_a_file_of_exactly_the_size_limit_is_taken(
    as_recruiter, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_MB = 1
    data = linkedin_csv(JO)
    data += b"\n" * (1024 * 1024 - len(data))  # blank lines are skipped
    assert len(data) == 1024 * 1024
    with django_capture_on_commit_callbacks(execute=True):
        response = as_recruiter.post(URL, form(Source.LINKEDIN, "Connections.csv", data))
    assert response.status_code == 302
    assert Batch.objects.get().status == Status.READY


def test_no_file_at_all_is_refused(as_recruiter):
    response = as_recruiter.post(URL, {"source": Source.LINKEDIN, "kind": "", "channel": ""})
    assert response.status_code == 400
    assert "This field is required." in error_of(response)
    assert_nothing_kept()


def test_no_source_is_refused(as_recruiter):
    data = form(Source.LINKEDIN, "Connections.csv", linkedin_csv(JO))
    del data["source"]
    response = as_recruiter.post(URL, data)
    assert response.status_code == 400
    assert "source" in response.context["form"].errors
    assert_nothing_kept()


# Bad rows: found by the preview job, which refuses the whole file


def test_a_row_with_an_invalid_email_fails_the_whole_file(
    as_recruiter, django_capture_on_commit_callbacks
):
    bad = ("Sam", "Patel", "", "not-an-email", "Initech", "Analyst", "")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_recruiter.post(
            URL, form(Source.LINKEDIN, "Connections.csv", linkedin_csv(JO, bad))
        )
    batch = Batch.objects.get()
    assert batch.status == Status.FAILED
    message = f"Line {FIRST_LINE + 1}: \u201cnot-an-email\u201d is not a valid email address."
    assert batch.problems == [message]
    assert batch.data is None  # the file is not kept
    page = as_recruiter.get(response.url)
    html = page.content.decode()
    assert "Nothing was imported." in html
    assert f"Line {FIRST_LINE + 1}:" in html and "is not a valid email address." in html
    assert reverse("imports:upload") in html  # upload a corrected file
    assert PreviewRow.objects.count() == 0
    assert Contact.objects.count() == 0


def test_a_file_with_only_a_header_fails_with_the_reason(
    as_recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_recruiter.post(URL, form(Source.LINKEDIN, "Connections.csv", linkedin_csv()))
    assert Batch.objects.get().status == Status.FAILED
    html = as_recruiter.get(response.url).content.decode()
    assert "Nothing was imported." in html
    assert "The file holds no contacts" in html
    assert Contact.objects.count() == 0


# Access


@pytest.mark.parametrize("role", ["manager", "dpo", "assessor"])
def test_only_recruiters_import(request, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    response = client.post(URL, form(Source.LINKEDIN, "Connections.csv", linkedin_csv(JO)))
    assert response.status_code == 403
    assert_nothing_kept()


def test_anonymous_users_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
