"""A request body over its page's limit is refused before any of it is read
(netlog.uploads): a file posted to a form, or a file larger than an upload page takes,
never reaches the disk. The test client's body is a FakePayload, which fails the test
if more is read from it than it holds: each refused request declares a length far
larger than the bytes it sends."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Contact
from imports.models import Batch, Source
from netlog.uploads import MARGIN
from tests.conftest import client_for
from tests.contacts.test_contact_create import valid_data
from tests.imports.test_upload_view import JO, error_of, form, linkedin_csv

IMPORT = reverse("imports:upload")
NEW_CONTACT = reverse("contacts:contact_create")
CONTACT = valid_data()


def test_a_body_larger_than_a_form_takes_is_refused_unread(as_recruiter):
    declared = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MARGIN + 1
    response = as_recruiter.post(NEW_CONTACT, CONTACT, CONTENT_LENGTH=str(declared))
    assert response.status_code == 413
    assert "none of it was read or saved" in response.content.decode()
    assert "Content-Security-Policy" in response.headers  # the page is a normal page
    assert Contact.objects.count() == 0


def test_the_body_is_refused_before_the_csrf_check_would_read_it(recruiter):
    """CsrfViewMiddleware reads the POST body for its token: the limit comes first."""
    client = client_for(recruiter, enforce_csrf_checks=True)
    client.get(NEW_CONTACT)  # the CSRF cookie
    declared = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MARGIN + 1
    response = client.post(NEW_CONTACT, CONTACT, CONTENT_LENGTH=str(declared))
    assert response.status_code == 413
    assert Contact.objects.count() == 0


def test_without_a_limit_for_forms_nothing_is_refused(as_recruiter, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None  # Django's "no limit"
    response = as_recruiter.post(NEW_CONTACT, {**CONTACT, "notes": "n" * 3 * 2**20})
    assert response.status_code == 302


def test_a_file_posted_to_a_form_without_files_is_refused(as_recruiter):
    big = SimpleUploadedFile("cv.pdf", b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MARGIN))
    response = as_recruiter.post(NEW_CONTACT, {**CONTACT, "file": big})
    assert response.status_code == 413
    assert Contact.objects.count() == 0


def test_a_form_of_the_usual_size_is_read(as_recruiter):
    response = as_recruiter.post(NEW_CONTACT, {**CONTACT, "notes": "n" * 100_000})
    assert response.status_code == 302
    assert Contact.objects.get().notes == "n" * 100_000


@pytest.mark.parametrize("client_name", ["client", "as_recruiter"])
def test_the_import_page_refuses_a_body_far_over_its_limit_unread(
    request, db, settings, client_name
):
    settings.IMPORT_MAX_MB = 1
    client = request.getfixturevalue(client_name)
    data = form(Source.LINKEDIN, "Connections.csv", linkedin_csv(JO))
    response = client.post(IMPORT, data, CONTENT_LENGTH=str(2**20 + MARGIN + 1))
    assert response.status_code == 413
    assert "about 1 MB" in response.content.decode()
    assert Batch.objects.count() == 0


def test_the_import_page_reads_a_file_just_over_its_limit_and_says_why_it_is_refused(
    as_recruiter, settings
):
    """Within the margin the form's own check answers, with the file's limit."""
    settings.IMPORT_MAX_MB = 1
    data = linkedin_csv(JO)
    data += b"\n" * (2**20 + 1 - len(data))
    response = as_recruiter.post(IMPORT, form(Source.LINKEDIN, "Connections.csv", data))
    assert response.status_code == 400
    assert "The file is larger than 1 MB." in error_of(response)


def test_the_import_page_takes_files_larger_than_other_forms(as_recruiter, settings):
    settings.IMPORT_MAX_MB = 20
    data = linkedin_csv(JO)
    data += b"\n" * (3 * 2**20 - len(data))  # over DATA_UPLOAD_MAX_MEMORY_SIZE
    response = as_recruiter.post(IMPORT, form(Source.LINKEDIN, "Connections.csv", data))
    assert response.status_code == 302
    assert Batch.objects.count() == 1
