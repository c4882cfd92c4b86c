"""GET/POST /privacy/notices/new/: the DPO publishes a new version of the privacy
notice. Earlier versions stay as they were: records point at the version shown."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import PrivacyNotice
from tests.conftest import client_for

URL = "/privacy/notices/new/"
FIRST_TEXT = (
    "Netlog Recruitment Ltd holds your name, contact details and work history, which we "
    "found on LinkedIn, to put suitable roles to you."
)
SECOND_TEXT = FIRST_TEXT + " We keep them for two years; write to dpo@example.com to object."


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def test_it_publishes_the_first_version(as_dpo):
    response = as_dpo.post(URL, {"text": FIRST_TEXT})

    assert response.status_code == 302
    assert response["Location"] == reverse("consent:privacy")
    notice = PrivacyNotice.objects.get()
    assert (notice.version, notice.text) == (1, FIRST_TEXT)
    assert notice.published_on == timezone.localdate()


def test_the_next_version_is_numbered_after_it(as_dpo):
    as_dpo.post(URL, {"text": FIRST_TEXT})

    as_dpo.post(URL, {"text": SECOND_TEXT})

    assert list(PrivacyNotice.objects.values_list("version", "text")) == [
        (2, SECOND_TEXT),
        (1, FIRST_TEXT),
    ]


def test_it_says_which_version_was_published(as_dpo):
    as_dpo.post(URL, {"text": FIRST_TEXT})

    response = as_dpo.post(URL, {"text": SECOND_TEXT}, follow=True)

    assert "Privacy notice version 2 published." in response.content.decode()


def test_the_form_starts_from_the_latest_text(as_dpo):
    as_dpo.post(URL, {"text": FIRST_TEXT})
    as_dpo.post(URL, {"text": SECOND_TEXT})

    response = as_dpo.get(URL)

    assert response.status_code == 200
    assert response.context["form"]["text"].value() == SECOND_TEXT
    assert "This becomes version 3." in response.content.decode()


def test_the_first_form_is_empty(as_dpo):
    response = as_dpo.get(URL)

    assert response.context["form"]["text"].value() == ""
    assert "This becomes version 1." in response.content.decode()


@pytest.mark.parametrize("text", ["", "Too short.", "x" * 99, " " * 50 + "x" * 99 + " " * 50])
def test_it_refuses_a_notice_under_100_characters(as_dpo, text):
    response = as_dpo.post(URL, {"text": text})

    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert not PrivacyNotice.objects.exists()


def test_a_notice_of_100_characters_is_enough(as_dpo):
    response = as_dpo.post(URL, {"text": "x" * 100})

    assert response.status_code == 302
    assert PrivacyNotice.objects.get().version == 1


def test_a_refused_text_leaves_the_current_version_alone(as_dpo):
    as_dpo.post(URL, {"text": FIRST_TEXT})

    as_dpo.post(URL, {"text": "Too short."})

    assert list(PrivacyNotice.objects.values_list("version", "text")) == [(1, FIRST_TEXT)]


def test_it_saves_nothing_on_get(as_dpo):
    as_dpo.get(URL, {"text": FIRST_TEXT})

    assert not PrivacyNotice.objects.exists()


@pytest.mark.parametrize("role", ["recruiter", "manager", "other_manager", "assessor"])
def test_only_the_dpo_may_publish(request, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": FIRST_TEXT}).status_code == 403
    assert not PrivacyNotice.objects.exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db):
    response = client.post(URL, {"text": FIRST_TEXT})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    assert not PrivacyNotice.objects.exists()
