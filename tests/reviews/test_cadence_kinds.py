"""GET and POST /reviews/cadence/: the recruiter's cadence for each professional kind."""

import pytest
from django.urls import reverse

from contacts.models import Kind
from privacy.models import Action, AuditEvent
from reviews.models import Cadence
from tests.conftest import client_for

URL = reverse("reviews:cadence_kinds")


def _post(kind: str, ideal: str = "30", most: str = "60", **extra) -> dict:
    return {"kind": kind, f"{kind}-ideal_days": ideal, f"{kind}-max_days": most, **extra}


def _cadences(owner) -> dict[str, tuple[int, int]]:
    rows = Cadence.objects.filter(owner=owner).values_list("kind", "ideal_days", "max_days")
    return {kind: (ideal, most) for kind, ideal, most in rows}


def _forms(response) -> dict[str, object]:
    return {form.prefix: form for _label, form in response.context["forms"]}


def test_it_shows_one_form_per_professional_kind(as_recruiter):
    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert [label for label, _form in response.context["forms"]] == [
        "Candidate",
        "Client",
        "Hiring manager",
        "Referrer",
        "Industry peer",
    ]
    assert list(_forms(response)) == Kind.professional()
    html = response.content.decode()
    assert "Personal / social" not in html
    assert "ideally every 90 days and at most every 180" in html
    assert html.count('name="kind"') == 5


def test_it_shows_the_recruiters_own_settings(as_recruiter, recruiter, teammate):
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=30, max_days=45)
    Cadence.objects.create(owner=teammate, kind=Kind.REFERRER, ideal_days=10, max_days=20)

    forms = _forms(as_recruiter.get(URL))

    assert (forms["client"]["ideal_days"].value(), forms["client"]["max_days"].value()) == (30, 45)
    assert forms["referrer"]["ideal_days"].value() is None


def test_it_saves_one_kind(as_recruiter, recruiter):
    response = as_recruiter.post(URL, _post(Kind.CLIENT))

    assert response.status_code == 302
    assert response["Location"] == URL
    assert _cadences(recruiter) == {"client": (30, 60)}
    cadence = Cadence.objects.get()
    assert cadence.contact is None


def test_it_confirms_the_save(as_recruiter):
    response = as_recruiter.post(URL, _post(Kind.CLIENT), follow=True)

    assert "Cadence saved." in response.content.decode()
    assert _forms(response)["client"]["ideal_days"].value() == 30


def test_it_saves_only_the_kind_submitted(as_recruiter, recruiter):
    data = {**_post(Kind.REFERRER, "10", "20"), **_post(Kind.CLIENT)}
    data["kind"] = Kind.CLIENT

    as_recruiter.post(URL, data)

    assert _cadences(recruiter) == {"client": (30, 60)}


def test_it_changes_a_kinds_cadence_in_place(as_recruiter, recruiter, teammate):
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=30, max_days=45)
    Cadence.objects.create(owner=recruiter, kind=Kind.CANDIDATE, ideal_days=14, max_days=28)
    Cadence.objects.create(owner=teammate, kind=Kind.CLIENT, ideal_days=10, max_days=20)

    as_recruiter.post(URL, _post(Kind.CLIENT, "60", "120"))

    assert _cadences(recruiter) == {"client": (60, 120), "candidate": (14, 28)}
    assert _cadences(teammate) == {"client": (10, 20)}


def test_it_records_an_audit_event_for_each_save(as_recruiter, recruiter):
    as_recruiter.post(URL, _post(Kind.CLIENT))
    as_recruiter.post(URL, _post(Kind.CLIENT, "40", "80"))

    cadence = Cadence.objects.get()
    events = AuditEvent.objects.filter(object_type="reviews.cadence").order_by("id")
    assert [(e.actor, e.action, e.object_id) for e in events] == [
        (recruiter, Action.CREATED, cadence.pk),
        (recruiter, Action.CHANGED, cadence.pk),
    ]


@pytest.mark.parametrize(
    "ideal, most, field, message",
    [
        ("60", "30", "max_days", "The maximum gap cannot be shorter than the ideal one."),
        ("0", "30", "ideal_days", "greater than or equal to 1"),
        ("731", "800", "ideal_days", "less than or equal to 730"),
        ("30", "1096", "max_days", "less than or equal to 1095"),
        ("", "60", "ideal_days", "This field is required."),
        ("30", "", "max_days", "This field is required."),
        ("thirty", "60", "ideal_days", "Enter a whole number."),
    ],
)
def test_it_refuses_bad_gaps_and_saves_nothing(
    as_recruiter, recruiter, ideal, most, field, message
):
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=20, max_days=25)

    response = as_recruiter.post(URL, _post(Kind.CLIENT, ideal, most))

    assert response.status_code == 200
    forms = _forms(response)
    assert list(forms["client"].errors) == [field]
    assert message in forms["client"].errors[field][0]
    assert not any(form.errors for kind, form in forms.items() if kind != "client")
    assert "Nothing was saved." in response.content.decode()
    assert _cadences(recruiter) == {"client": (20, 25)}
    assert not AuditEvent.objects.filter(object_type="reviews.cadence").exists()


@pytest.mark.parametrize("kind", [Kind.PERSONAL, "bogus", ""])
def test_it_saves_nothing_for_a_kind_without_a_cadence(as_recruiter, recruiter, kind):
    response = as_recruiter.post(URL, _post(kind))

    assert response.status_code == 200
    assert not Cadence.objects.exists()


def test_it_saves_nothing_without_a_kind(as_recruiter):
    data = _post(Kind.CLIENT)
    del data["kind"]

    response = as_recruiter.post(URL, data)

    assert response.status_code == 200
    assert not Cadence.objects.exists()


@pytest.mark.parametrize("role", ["manager", "other_manager", "dpo", "assessor"])
def test_it_forbids_anyone_but_a_recruiter(request, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, _post(Kind.CLIENT)).status_code == 403
    assert not Cadence.objects.exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db):
    response = client.post(URL, _post(Kind.CLIENT))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    assert not Cadence.objects.exists()
