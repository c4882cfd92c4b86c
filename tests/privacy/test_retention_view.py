"""GET/POST /privacy/retention/: the DPO sets the retention policy and sees what the
next daily run would do under it (a dry run that changes nothing)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from privacy.models import Action, AuditEvent, ErasureRecord, RetentionPolicy, RetentionWarning
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

URL = "/privacy/retention/"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


@pytest.fixture
def people(recruiter) -> dict[str, Contact]:
    """One contact for each list of the dry run, and one the run leaves alone."""
    today = timezone.localdate()

    def contact(first, last, last_seen):
        added = timezone.now() - 1000 * DAY
        c = ContactFactory(owner=recruiter, first_name=first, last_name=last, created_at=added)
        ActivityFactory(owner=recruiter, contacts=[c], date=last_seen)
        return c

    due = contact("Marguerite", "Thistlewood", today - 900 * DAY)
    RetentionWarning.objects.create(contact=due, warned_on=today - 31 * DAY, erase_on=today - DAY)
    stale = contact("Bartholomew", "Quince", today - 800 * DAY)
    active_again = contact("Ottoline", "Fairweather", today - 800 * DAY)
    RetentionWarning.objects.create(
        contact=active_again, warned_on=today - 3 * DAY, erase_on=today + 27 * DAY
    )
    ActivityFactory(owner=recruiter, contacts=[active_again], date=today)
    recent = contact("Cornelius", "Ashdown", today - 20 * DAY)
    return {"erase": due, "warn": stale, "keep": active_again, "none": recent}


def section(html: str, start: str, end: str) -> str:
    return html.split(f'id="{start}"', 1)[1].split(f'id="{end}"', 1)[0]


def valid(**overrides) -> dict:
    return {
        "inactive_months": "24",
        "discontinued_months": "6",
        "grace_days": "30",
        "enabled": "on",
        **overrides,
    }


def policy_row() -> list[tuple]:
    """The saved policy, as the database holds it (nothing until the DPO saves one)."""
    fields = ["inactive_months", "grace_days", "enabled", "updated_at"]
    return list(RetentionPolicy.objects.values_list(*fields))


# Who may use it


@pytest.mark.parametrize("who", ["recruiter", "manager", "assessor"])
def test_it_refuses_everyone_but_the_dpo(request, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403


def test_it_sends_a_visitor_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["recruiter", "manager"])
def test_it_refuses_a_post_from_anyone_but_the_dpo(request, who):
    client = client_for(request.getfixturevalue(who))
    before = policy_row()

    response = client.post(URL, valid(inactive_months="6", grace_days="7"))

    assert response.status_code == 403
    assert policy_row() == before
    assert not AuditEvent.objects.filter(action=Action.POLICY).exists()


# The dry run


def test_it_shows_the_dry_run_in_its_three_lists(as_dpo, people):
    response = as_dpo.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    erase = section(html, "plan-erase", "plan-warn")
    warn = section(html, "plan-warn", "plan-cancel")
    keep = html.split('id="plan-cancel"', 1)[1]
    assert "Marguerite Thistlewood" in erase
    assert "Bartholomew Quince" in warn
    assert "Ottoline Fairweather" in keep
    for name in ["Marguerite", "Bartholomew", "Ottoline", "Cornelius"]:
        assert sum(name in part for part in (erase, warn, keep)) == (name != "Cornelius")
    assert "Erase (1)" in html
    assert "Warn the owner (1)" in html
    plan = response.context["plan"]
    assert plan.today == timezone.localdate()
    assert (plan.erase, plan.warn, plan.cancel) == (
        [people["erase"]],
        [people["warn"]],
        [people["keep"]],
    )


def test_the_dry_run_changes_nothing(as_dpo, people, mailoutbox):
    warnings = list(RetentionWarning.objects.order_by("id").values())
    contacts = set(Contact.objects.values_list("pk", flat=True))

    as_dpo.get(URL)
    as_dpo.get(URL)

    assert list(RetentionWarning.objects.order_by("id").values()) == warnings
    assert set(Contact.objects.values_list("pk", flat=True)) == contacts
    assert not ErasureRecord.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mailoutbox == []


def test_it_says_when_automatic_erasure_is_off(as_dpo, people):
    policy = RetentionPolicy.current()
    policy.enabled = False
    policy.save()

    response = as_dpo.get(URL)

    html = response.content.decode()
    assert "Automatic erasure is off, so no one is warned or erased." in html
    assert "Bartholomew Quince" not in html


# The policy form


def test_it_saves_the_policy_and_logs_the_change(as_dpo, dpo):
    response = as_dpo.post(URL, valid(inactive_months="12", grace_days="14"))

    assert response.status_code == 302
    assert response["Location"] == URL
    policy = RetentionPolicy.current()
    assert (policy.inactive_months, policy.grace_days, policy.enabled) == (12, 14, True)
    assert RetentionPolicy.objects.count() == 1
    event = AuditEvent.objects.get()
    assert (event.actor, event.action) == (dpo, Action.POLICY)
    assert (event.object_type, event.object_id) == ("privacy.retentionpolicy", policy.pk)


def test_it_confirms_the_save(as_dpo):
    response = as_dpo.post(URL, valid(), follow=True)

    assert "Retention policy saved." in response.content.decode()


def test_an_unticked_box_turns_automatic_erasure_off(as_dpo):
    data = valid()
    del data["enabled"]

    as_dpo.post(URL, data)

    assert RetentionPolicy.current().enabled is False


@pytest.mark.parametrize("months, grace", [("6", "7"), ("120", "365")])
def test_it_accepts_the_limits(as_dpo, months, grace):
    response = as_dpo.post(URL, valid(inactive_months=months, grace_days=grace))

    assert response.status_code == 302
    policy = RetentionPolicy.current()
    assert (policy.inactive_months, policy.grace_days) == (int(months), int(grace))


def test_the_dry_run_follows_the_saved_policy(as_dpo, people, recruiter):
    thirteen_months = ContactFactory(
        owner=recruiter,
        first_name="Perpetua",
        last_name="Lark",
        created_at=timezone.now() - 1000 * DAY,
    )
    ActivityFactory(
        owner=recruiter, contacts=[thirteen_months], date=timezone.localdate() - 400 * DAY
    )
    assert "Perpetua Lark" not in as_dpo.get(URL).content.decode()

    as_dpo.post(URL, valid(inactive_months="12"))

    warn = section(as_dpo.get(URL).content.decode(), "plan-warn", "plan-cancel")
    assert "Perpetua Lark" in warn


@pytest.mark.parametrize(
    "field, value",
    [
        ("inactive_months", "5"),
        ("inactive_months", "121"),
        ("inactive_months", "0"),
        ("inactive_months", "-12"),
        ("inactive_months", "twelve"),
        ("inactive_months", ""),
        ("grace_days", "6"),
        ("grace_days", "366"),
        ("grace_days", ""),
    ],
)
def test_it_refuses_values_out_of_range_and_saves_nothing(as_dpo, field, value):
    before = policy_row()

    response = as_dpo.post(URL, valid(**{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "Nothing was saved." in response.content.decode()
    assert policy_row() == before
    assert not AuditEvent.objects.exists()


def test_a_refused_value_does_not_change_the_dry_run(as_dpo, people):
    response = as_dpo.post(URL, valid(inactive_months="200"))

    plan = response.context["plan"]
    assert plan.policy.inactive_months == 24
    assert plan.warn == [people["warn"]]
