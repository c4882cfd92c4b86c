"""GET /: the consent and notice coverage card and the retention warnings on the
dashboard, each counted over the contacts the user may see."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from consent.models import Basis
from contacts.models import Channel, Kind
from privacy.models import RetentionWarning
from tests.conftest import client_for
from tests.contacts.test_dashboard import MAX_QUERIES
from tests.factories import ContactFactory

URL = reverse("dashboard")
DAY = datetime.timedelta(days=1)


def _text(html: str) -> str:
    """Visible text, tags dropped and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _coverage_card(response) -> str:
    html = response.content.decode()
    return _text(html.split('id="coverage"', 1)[1].split("</dl>", 1)[0])


def _retention_list(response) -> str:
    html = response.content.decode()
    return html.split('aria-labelledby="retention-heading"', 1)[1].split("</ul>", 1)[0]


def _contact(owner, basis: str = "", expires: int | None = None, **extra):
    """A contact with `basis`, consent ending `expires` days from today (None: no date)."""
    today = timezone.localdate()
    return ContactFactory(
        owner=owner,
        lawful_basis=basis,
        consent_expires_on=None if expires is None else today + expires * DAY,
        **extra,
    )


@pytest.fixture
def mix(recruiter) -> None:
    """Seven contacts: four with a valid basis, two with live consent, and four whose
    data came from elsewhere, two of them sent the privacy notice."""
    sent = timezone.localdate() - 20 * DAY
    # Valid basis, data from the person themselves.
    _contact(recruiter, Basis.LEGITIMATE_INTERESTS, source_channel=Channel.INBOUND)
    _contact(recruiter, Basis.CONSENT, expires=30, source_channel=Channel.EVENT)
    _contact(recruiter, Basis.CONSENT, expires=0, source_channel=Channel.JOB_BOARD)
    # Valid basis, data from elsewhere, notice sent.
    _contact(recruiter, Basis.CONTRACT, source_channel=Channel.OTHER, notice_delivered_on=sent)
    # No valid basis: none recorded, consent expired yesterday, consent withdrawn.
    _contact(recruiter, source_channel=Channel.LINKEDIN)
    _contact(
        recruiter,
        Basis.CONSENT,
        expires=-1,
        source_channel=Channel.REFERRAL,
        notice_delivered_on=sent,
    )
    _contact(recruiter, Basis.CONSENT, expires=None, source_channel=Channel.OTHER)


def test_it_shows_the_recruiters_coverage(as_recruiter, mix):
    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert response.context["coverage"] == {
        "basis": 57,  # 4 of 7
        "consented": 2,
        "notice": 50,
        "noticed": 2,
        "indirect": 4,
        "total": 7,
    }
    card = _coverage_card(response)
    assert "Valid lawful basis 57% of 7" in card
    assert "Live consent 2 " in card
    assert "where the data came from elsewhere 50% (2 of 4)" in card


def test_it_counts_only_the_recruiters_own_contacts(as_recruiter, mix, teammate, outsider):
    for other in (teammate, outsider):
        _contact(other, Basis.CONSENT, expires=30, source_channel=Channel.LINKEDIN)
        _contact(other, source_channel=Channel.REFERRAL)

    coverage = as_recruiter.get(URL).context["coverage"]

    assert (coverage["total"], coverage["consented"], coverage["indirect"]) == (7, 2, 4)


def test_consent_that_ends_today_still_counts_as_live(as_recruiter, recruiter):
    _contact(recruiter, Basis.CONSENT, expires=0)

    coverage = as_recruiter.get(URL).context["coverage"]

    assert (coverage["basis"], coverage["consented"]) == (100, 1)


def test_it_shows_a_dash_not_an_error_with_no_contacts(as_recruiter):
    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert response.context["coverage"]["basis"] is None
    assert response.context["coverage"]["notice"] is None
    card = _coverage_card(response)
    assert "Valid lawful basis — of 0" in card
    assert "Live consent 0 " in card
    assert "where the data came from elsewhere — (0 of 0)" in card


def test_it_shows_a_dash_for_notices_when_every_contact_came_direct(as_recruiter, recruiter):
    _contact(recruiter, Basis.CONTRACT, source_channel=Channel.INBOUND)
    _contact(recruiter, source_channel=Channel.EVENT)

    card = _coverage_card(as_recruiter.get(URL))

    assert "Valid lawful basis 50% of 2" in card
    assert "where the data came from elsewhere — (0 of 0)" in card


def test_a_manager_sees_the_teams_coverage_without_personal_contacts(
    as_manager, recruiter, teammate, outsider
):
    sent = timezone.localdate() - DAY
    _contact(recruiter, Basis.LEGITIMATE_INTERESTS, source_channel=Channel.INBOUND)
    _contact(teammate, source_channel=Channel.LINKEDIN)
    _contact(
        teammate,
        Basis.CONSENT,
        expires=30,
        source_channel=Channel.REFERRAL,
        notice_delivered_on=sent,
    )
    # The recruiter's private life, and another team's work: neither is counted.
    _contact(recruiter, kind=Kind.PERSONAL, source_channel=Channel.OTHER)
    for _ in range(3):
        _contact(outsider, Basis.CONSENT, expires=30, source_channel=Channel.LINKEDIN)

    response = as_manager.get(URL)

    assert response.context["coverage"] == {
        "basis": 67,  # 2 of 3
        "consented": 1,
        "notice": 50,
        "noticed": 1,
        "indirect": 2,
        "total": 3,
    }
    card = _coverage_card(response)
    assert "Valid lawful basis 67% of 3" in card
    assert "where the data came from elsewhere 50% (1 of 2)" in card


# Retention warnings


def _warn(contact, erase_in_days: int) -> RetentionWarning:
    today = timezone.localdate()
    return RetentionWarning.objects.create(
        contact=contact, warned_on=today, erase_on=today + erase_in_days * DAY
    )


def test_it_lists_the_users_contacts_due_for_erasure_soonest_first(as_recruiter, recruiter):
    later = _warn(ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett"), 25)
    sooner = _warn(ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor"), 5)

    response = as_recruiter.get(URL)

    assert list(response.context["retention_warnings"]) == [sooner, later]
    listed = _text(_retention_list(response))
    assert f"Sam Okafor on {date_format(sooner.erase_on, 'j M Y')}" in listed
    assert f"Olivia Bennett on {date_format(later.erase_on, 'j M Y')}" in listed
    assert listed.index("Sam Okafor") < listed.index("Olivia Bennett")
    assert f'href="{sooner.contact.get_absolute_url()}"' in _retention_list(response)


def test_it_leaves_out_other_recruiters_warnings(as_recruiter, recruiter, teammate, outsider):
    _warn(ContactFactory(owner=recruiter, first_name="Olivia"), 10)
    _warn(ContactFactory(owner=teammate, first_name="Teodora"), 10)
    _warn(ContactFactory(owner=outsider, first_name="Ottilie"), 10)

    response = as_recruiter.get(URL)

    assert [w.contact.first_name for w in response.context["retention_warnings"]] == ["Olivia"]
    assert "Teodora" not in response.content.decode()
    assert "Ottilie" not in response.content.decode()


def test_a_manager_sees_the_teams_warnings_but_never_a_personal_contacts(
    as_manager, recruiter, outsider
):
    _warn(ContactFactory(owner=recruiter, first_name="Olivia", kind=Kind.CLIENT), 10)
    _warn(ContactFactory(owner=recruiter, first_name="Pernille", kind=Kind.PERSONAL), 5)
    _warn(ContactFactory(owner=outsider, first_name="Ottilie"), 5)

    response = as_manager.get(URL)

    assert [w.contact.first_name for w in response.context["retention_warnings"]] == ["Olivia"]
    assert "Pernille" not in response.content.decode()
    assert "Ottilie" not in response.content.decode()


def test_a_recruiter_sees_the_warning_for_their_own_personal_contact(as_recruiter, recruiter):
    _warn(ContactFactory(owner=recruiter, first_name="Pernille", kind=Kind.PERSONAL), 5)

    response = as_recruiter.get(URL)

    assert "Pernille" in _text(_retention_list(response))


def test_it_says_when_no_one_is_due_for_erasure(as_recruiter, recruiter):
    ContactFactory(owner=recruiter)

    response = as_recruiter.get(URL)

    assert _text(_retention_list(response)).endswith("No one.")
    assert "Log an activity or record consent to keep someone." not in response.content.decode()


def test_it_lists_at_most_ten_warnings(as_recruiter, recruiter):
    for days in range(1, 13):
        _warn(ContactFactory(owner=recruiter, first_name=f"Person{days}"), days)

    warnings = as_recruiter.get(URL).context["retention_warnings"]

    assert [w.contact.first_name for w in warnings] == [f"Person{d}" for d in range(1, 11)]


@pytest.mark.parametrize("role", ["recruiter", "manager"])
def test_it_runs_a_fixed_number_of_queries(
    request, recruiter, mix, django_assert_max_num_queries, role
):
    for days in range(1, 13):
        _warn(ContactFactory(owner=recruiter, kind=Kind.CLIENT), days)
    client = client_for(request.getfixturevalue(role))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(URL)

    assert len(response.context["retention_warnings"]) == 10
    assert "Consent and notice coverage" in response.content.decode()
