"""How a contact's lawful basis shows outside the consent forms: the "Data protection"
panel on the contact's page, the "no basis" badge and `basis` filter on the contact
list, and the dashboard's count of contacts with no valid basis."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from consent import services
from consent.models import Basis, Method, Purpose
from contacts.models import Contact, Kind
from tests.conftest import client_for
from tests.contacts.test_dashboard import MAX_QUERIES as DASHBOARD_MAX_QUERIES
from tests.factories import ActivityFactory, ContactFactory

DAY = datetime.timedelta(days=1)
LIST_URL = reverse("contacts:contact_list")
DASHBOARD_URL = reverse("dashboard")
LI_ASSESSMENT = {
    "li_purpose": "Placing candidates with our clients",
    "li_necessity": "No placement without their details",
    "li_balance": "They asked us to find them work",
}

# Every state a contact's basis can be in, and whether it is valid today.
MIXED_STATES = [
    "none",
    "consent",
    "expired",
    "contract",
    "withdrawn",
    "legitimate_interests",
    "consent_ending_today",
    "contract_after_expired_consent",
]
VALID_STATES = [
    "consent",
    "consent_ending_today",
    "contract",
    "legitimate_interests",
    "contract_after_expired_consent",
]
INVALID_STATES = ["none", "expired", "withdrawn"]


def _give_consent(contact: Contact, on: datetime.date) -> None:
    services.consent_record(
        contact=contact,
        on=on,
        method=Method.EMAIL,
        purposes=[Purpose.ROLES],
        notice=None,
        by=contact.owner,
    )


def _set(contact: Contact, **fields) -> None:
    Contact.objects.filter(pk=contact.pk).update(**fields)


def make(owner, state: str, **extra) -> Contact:
    """A contact of `owner` whose basis is in `state`, named after the state."""
    contact = ContactFactory(owner=owner, first_name=state, last_name="Contact", **extra)
    today = timezone.localdate()
    if state == "consent":
        _give_consent(contact, today - 30 * DAY)
    elif state == "consent_ending_today":
        _set(contact, lawful_basis=Basis.CONSENT, consent_expires_on=today)
    elif state == "expired":
        _give_consent(contact, today - 800 * DAY)  # more than 24 months ago
    elif state == "withdrawn":
        _give_consent(contact, today - 30 * DAY)
        services.consent_withdraw(contact=contact, on=today, method=Method.CALL, by=owner)
    elif state == "contract":
        services.basis_record(contact=contact, basis=Basis.CONTRACT, by=owner)
    elif state == "legitimate_interests":
        services.basis_record(
            contact=contact, basis=Basis.LEGITIMATE_INTERESTS, by=owner, **LI_ASSESSMENT
        )
    elif state == "contract_after_expired_consent":
        _give_consent(contact, today - 800 * DAY)
        services.basis_record(contact=contact, basis=Basis.CONTRACT, by=owner)
    elif state == "consent_ended_yesterday":
        _set(contact, lawful_basis=Basis.CONSENT, consent_expires_on=today - DAY)
    else:
        assert state == "none"
    contact.refresh_from_db()
    return contact


def day(date: datetime.date) -> str:
    """A date as the templates show it ("j M Y": 3 Mar 2026)."""
    return f"{date.day} {date:%b %Y}"


def panel(client, contact) -> str:
    """The "Data protection" card of the contact's page, whitespace collapsed."""
    response = client.get(contact.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="data-protection"')
    return " ".join(html[start : html.index("</div></div>", start)].split())


def names(response) -> list[str]:
    return [contact.first_name for contact in response.context["page"]]


def flagged(response) -> set[str]:
    """The first names shown with the "no basis" badge on the contact list."""
    badge = r' <span class="badge text-bg-danger" title="No valid lawful basis">no basis</span>'
    html = response.content.decode()
    return set(re.findall(rf'<a href="/contacts/\d+/">(\w+) Contact</a>{badge}', html))


# The panel on the contact's page


def test_it_shows_valid_consent_and_when_it_ends(as_recruiter, recruiter):
    contact = make(recruiter, "consent")

    html = panel(as_recruiter, contact)

    assert "Data protection" in html
    assert "Consent <span" in html
    assert "valid</span>" in html
    assert f"Consent lasts until {day(contact.consent_expires_on)}." in html
    assert "no valid basis" not in html


def test_consent_ending_today_is_still_valid(as_recruiter, recruiter):
    contact = make(recruiter, "consent_ending_today")

    html = panel(as_recruiter, contact)

    assert "valid</span>" in html
    assert f"Consent lasts until {day(timezone.localdate())}." in html


def test_it_shows_expired_consent_and_asks_for_it_again(as_recruiter, recruiter):
    contact = make(recruiter, "expired")

    html = panel(as_recruiter, contact)

    assert f"consent expired {day(contact.consent_expires_on)}" in html
    assert "Ask expired to renew their consent before contacting them again." in html
    assert "Consent lasts until" not in html


def test_it_shows_withdrawn_consent_with_both_records_in_the_history(as_recruiter, recruiter):
    contact = make(recruiter, "withdrawn")

    html = panel(as_recruiter, contact)

    assert "consent withdrawn</span>" in html
    assert f"{day(timezone.localdate())}: consent withdrawn (call)" in html
    assert "consent given (email) for contact about suitable roles" in html.lower()
    assert "Consent lasts until" not in html


def test_it_shows_legitimate_interests_with_its_assessment(as_recruiter, recruiter):
    contact = make(recruiter, "legitimate_interests")

    html = panel(as_recruiter, contact)

    assert "Legitimate interests <span" in html
    assert "valid</span>" in html
    assert escape(f"basis legitimate interests, recorded by {recruiter}") in html
    assert (
        "Purpose: Placing candidates with our clients · "
        "Necessity: No placement without their details · "
        "Balance: They asked us to find them work"
    ) in html


def test_it_shows_a_contact_with_no_basis(as_recruiter, recruiter):
    contact = make(recruiter, "none")

    html = panel(as_recruiter, contact)

    assert "No lawful basis recorded" in html
    assert "no valid basis</span>" in html
    assert "History" not in html


def test_a_consent_basis_with_no_consent_given_does_not_claim_a_withdrawal(as_recruiter, recruiter):
    contact = make(recruiter, "none")
    response = as_recruiter.post(
        reverse("consent:basis_edit", args=[contact.pk]), {"basis": "consent"}
    )

    assert "record the consent itself" in str(response.context["form"].errors["basis"])
    html = panel(as_recruiter, contact)
    assert "withdrawn" not in html
    assert "no valid basis" in html


def test_it_does_not_say_expired_consent_lasts(as_recruiter, recruiter):
    contact = make(recruiter, "contract_after_expired_consent")

    html = panel(as_recruiter, contact)

    assert "valid</span>" in html
    assert "Consent lasts until" not in html


def test_the_recruiter_gets_links_to_record_basis_consent_and_withdrawal(as_recruiter, recruiter):
    contact = make(recruiter, "consent")

    html = panel(as_recruiter, contact)

    for name in ("basis_edit", "consent_add", "consent_withdraw"):
        assert reverse(f"consent:{name}", args=[contact.pk]) in html


def test_there_is_no_withdrawal_link_without_consent_to_withdraw(as_recruiter, recruiter):
    contact = make(recruiter, "contract")

    html = panel(as_recruiter, contact)

    assert reverse("consent:consent_add", args=[contact.pk]) in html
    assert reverse("consent:consent_withdraw", args=[contact.pk]) not in html


@pytest.mark.parametrize("reader", ["manager", "dpo"])
def test_readers_see_the_panel_but_no_record_links(request, recruiter, reader):
    contact = make(recruiter, "legitimate_interests")

    html = panel(client_for(request.getfixturevalue(reader)), contact)

    assert "Legitimate interests <span" in html
    assert "Purpose: Placing candidates with our clients" in html
    assert f"/contacts/{contact.pk}/basis/" not in html
    assert f"/contacts/{contact.pk}/consent/" not in html


# The contact list


def test_the_list_flags_only_contacts_without_a_valid_basis(as_recruiter, recruiter):
    for state in VALID_STATES + INVALID_STATES:
        make(recruiter, state)

    response = as_recruiter.get(LIST_URL)

    assert len(names(response)) == len(VALID_STATES + INVALID_STATES)
    assert flagged(response) == set(INVALID_STATES)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("valid", VALID_STATES),
        ("missing", INVALID_STATES),
        ("expired", ["expired"]),
        ("", VALID_STATES + INVALID_STATES),
    ],
)
def test_the_list_filters_by_basis(as_recruiter, recruiter, value, expected):
    for state in VALID_STATES + INVALID_STATES:
        make(recruiter, state)

    response = as_recruiter.get(LIST_URL, {"basis": value})

    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)


def test_consent_that_ended_yesterday_counts_as_expired(as_recruiter, recruiter):
    make(recruiter, "consent_ended_yesterday")
    make(recruiter, "consent_ending_today")

    assert names(as_recruiter.get(LIST_URL, {"basis": "expired"})) == ["consent_ended_yesterday"]
    assert names(as_recruiter.get(LIST_URL, {"basis": "valid"})) == ["consent_ending_today"]


def test_the_basis_filter_stays_within_the_managers_team(as_manager, recruiter, outsider):
    make(recruiter, "expired")
    make(outsider, "withdrawn")
    make(recruiter, "none", kind=Kind.PERSONAL)  # the recruiter's private life

    assert names(as_manager.get(LIST_URL, {"basis": "missing"})) == ["expired"]


# The dashboard


def test_the_dashboard_counts_contacts_with_no_valid_basis_and_links_to_them(
    as_recruiter, recruiter, outsider
):
    for state in VALID_STATES + INVALID_STATES:
        make(recruiter, state)
    make(outsider, "none")

    response = as_recruiter.get(DASHBOARD_URL)

    assert response.context["without_basis"] == len(INVALID_STATES)
    html = response.content.decode()
    assert (
        f'<a class="link-danger" href="{LIST_URL}?basis=missing">'
        "3 contacts with no valid lawful basis</a>"
    ) in html
    # The link leads to the same contacts.
    listed = as_recruiter.get(LIST_URL, {"basis": "missing"})
    assert sorted(names(listed)) == sorted(INVALID_STATES)


def test_the_dashboard_says_one_contact_in_the_singular(as_recruiter, recruiter):
    make(recruiter, "withdrawn")
    make(recruiter, "contract")

    html = as_recruiter.get(DASHBOARD_URL).content.decode()

    assert "1 contact with no valid lawful basis</a>" in html


def test_the_dashboard_says_when_every_contact_has_a_valid_basis(as_recruiter, recruiter):
    for state in VALID_STATES:
        make(recruiter, state)

    response = as_recruiter.get(DASHBOARD_URL)

    assert response.context["without_basis"] == 0
    html = response.content.decode()
    assert "Every contact has a valid lawful basis." in html
    assert "?basis=missing" not in html


def test_the_dashboard_counts_only_the_managers_team(as_manager, recruiter, teammate, outsider):
    make(recruiter, "expired")
    make(teammate, "none")
    make(teammate, "withdrawn", kind=Kind.PERSONAL)  # private: not the team's work
    make(outsider, "none")

    assert as_manager.get(DASHBOARD_URL).context["without_basis"] == 2


def _grow(owner, count: int) -> None:
    """`count` contacts cycling through every basis state, each with a follow-up."""
    today = timezone.localdate()
    for i in range(count):
        state = MIXED_STATES[i % len(MIXED_STATES)]
        contact = make(owner, state, kind=list(Kind)[i % len(Kind)])
        ActivityFactory(owner=owner, contacts=[contact], follow_up_on=today - (i % 2) * DAY)


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("client_name", ["as_recruiter", "as_manager"])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    request, recruiter, django_assert_max_num_queries, client_name, count
):
    _grow(recruiter, count)
    client = request.getfixturevalue(client_name)

    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        response = client.get(DASHBOARD_URL)

    expected = Contact.objects.without_valid_basis(timezone.localdate())
    if client_name == "as_manager":
        expected = expected.professional()
    assert response.context["without_basis"] == expected.count() > 0
