"""GET and POST /reflections/new/: write a reflective account linked to the recruiter's
own contacts, activities and reviews."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from privacy.models import Action, AuditEvent, SensitiveCategory, SensitiveConfirmation
from reviews.models import Decision, Reflection, Review
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

URL = reverse("reviews:reflection_create")
DAY = datetime.timedelta(days=1)
REASON = "She asked us to plan interviews around her maternity leave."
KEEP = {"sensitive_confirmed": "on", "sensitive_justification": REASON}


def review(owner, contact) -> Review:
    return Review.objects.create(
        owner=owner,
        contact=contact,
        reviewed_on=timezone.localdate() - DAY,
        value=4,
        activity=3,
        potential=4,
        rationale="Good source of senior roles.",
        decision=Decision.STRENGTHEN,
    )


@pytest.fixture
def mine(recruiter):
    """The recruiter's contact, an activity with them and a review of them."""
    contact = ContactFactory(owner=recruiter, first_name="Sam", kind=Kind.CLIENT)
    activity = ActivityFactory(owner=recruiter, contacts=[contact], summary="Fintech breakfast")
    return contact, activity, review(recruiter, contact)


@pytest.fixture
def theirs(teammate):
    """The same, a teammate's."""
    contact = ContactFactory(owner=teammate, first_name="Hidden", kind=Kind.CLIENT)
    activity = ActivityFactory(owner=teammate, contacts=[contact], summary="Hidden lunch")
    return contact, activity, review(teammate, contact)


def _valid(links=((), (), ()), **overrides) -> dict:
    contacts, activities, reviews = links
    data = {
        "title": "What the fintech breakfast taught me",
        "written_on": str(timezone.localdate()),
        "text": "The breakfast gave two warm introductions; I will go every quarter.",
        "contacts": [c.pk for c in contacts],
        "activities": [a.pk for a in activities],
        "reviews": [r.pk for r in reviews],
    }
    return {**data, **overrides}


def _all(links):
    return tuple([item] for item in links)


def test_it_offers_only_the_recruiters_own_items(as_recruiter, mine, theirs):
    response = as_recruiter.get(URL)

    assert response.status_code == 200
    fields = response.context["form"].fields
    assert [list(fields[name].queryset) for name in ["contacts", "activities", "reviews"]] == [
        [item] for item in mine
    ]
    html = response.content.decode()
    assert "Hidden" not in html
    assert "Fintech breakfast" in html


def test_it_saves_the_reflection_with_its_links(as_recruiter, recruiter, mine):
    contact, activity, sams_review = mine

    response = as_recruiter.post(URL, _valid(_all(mine)))

    saved = Reflection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == saved.get_absolute_url()
    assert saved.owner == recruiter
    assert saved.title == "What the fintech breakfast taught me"
    assert saved.written_on == timezone.localdate()
    assert saved.text.startswith("The breakfast gave two warm introductions")
    assert list(saved.contacts.all()) == [contact]
    assert list(saved.activities.all()) == [activity]
    assert list(saved.reviews.all()) == [sams_review]


def test_it_saves_a_reflection_linked_to_nothing(as_recruiter, recruiter, mine):
    yesterday = timezone.localdate() - DAY

    response = as_recruiter.post(URL, _valid(written_on=str(yesterday)))

    assert response.status_code == 302
    saved = Reflection.objects.get()
    assert saved.written_on == yesterday
    assert not saved.contacts.exists() and not saved.reviews.exists()


def test_it_records_an_audit_event(as_recruiter, recruiter):
    as_recruiter.post(URL, _valid())

    event = AuditEvent.objects.get(object_type="reviews.reflection")
    assert (event.actor, event.action, event.object_id) == (
        recruiter,
        Action.CREATED,
        Reflection.objects.get().pk,
    )


def test_it_confirms_and_shows_the_reflection(as_recruiter, mine):
    response = as_recruiter.post(URL, _valid(_all(mine)), follow=True)

    html = response.content.decode()
    assert "Reflection saved." in html
    assert "What the fintech breakfast taught me" in html


@pytest.mark.parametrize(
    "field, overrides, message",
    [
        ("title", lambda today: {"title": ""}, "This field is required."),
        ("title", lambda today: {"title": "x" * 201}, "at most 200 characters"),
        ("text", lambda today: {"text": "   "}, "This field is required."),
        (
            "written_on",
            lambda today: {"written_on": str(today + DAY)},
            "This cannot be dated in the future.",
        ),
        ("written_on", lambda today: {"written_on": "2025-13-01"}, "Enter a valid date."),
        ("contacts", lambda today: {"contacts": ["abc"]}, "is not a valid value"),
    ],
)
def test_it_shows_the_error_next_to_the_field_and_saves_nothing(
    as_recruiter, field, overrides, message
):
    response = as_recruiter.post(URL, _valid(**overrides(timezone.localdate())))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert "Nothing was saved." in response.content.decode()
    assert not Reflection.objects.exists()
    assert not AuditEvent.objects.filter(object_type="reviews.reflection").exists()


@pytest.mark.parametrize("field, index", [("contacts", 0), ("activities", 1), ("reviews", 2)])
def test_it_refuses_another_recruiters_item(as_recruiter, mine, theirs, field, index):
    data = _valid(_all(mine))
    data[field] = [mine[index].pk, theirs[index].pk]

    response = as_recruiter.post(URL, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert "Select a valid choice" in errors[field][0]
    assert not Reflection.objects.exists()


def test_it_flags_sensitive_text_and_saves_nothing(as_recruiter):
    response = as_recruiter.post(URL, _valid(text="She is pregnant, so I held back."))

    assert response.status_code == 200
    findings = response.context["form"].findings
    assert [(f.field, f.phrase) for f in findings] == [("Text", "pregnant")]
    assert 'id="sensitive-findings"' in response.content.decode()
    assert list(response.context["form"].errors) == ["sensitive_confirmed"]
    assert not Reflection.objects.exists()
    assert not SensitiveConfirmation.objects.exists()


def test_it_saves_sensitive_text_with_a_reason_and_records_it(as_recruiter, recruiter):
    response = as_recruiter.post(URL, _valid(text="She is pregnant.", **KEEP))

    assert response.status_code == 302
    saved = Reflection.objects.get()
    confirmation = SensitiveConfirmation.objects.get()
    assert (confirmation.object_type, confirmation.object_id) == ("reviews.reflection", saved.pk)
    assert confirmation.categories == [SensitiveCategory.PREGNANCY]
    assert confirmation.justification == REASON
    assert confirmation.recorded_by == recruiter


def test_it_saves_clean_text_without_a_record(as_recruiter):
    as_recruiter.post(URL, _valid(text="Met at the Age of AI conference.", **KEEP))

    assert Reflection.objects.count() == 1
    assert not SensitiveConfirmation.objects.exists()


@pytest.mark.parametrize("role", ["manager", "dpo", "assessor"])
def test_it_forbids_anyone_but_a_recruiter(request, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, _valid()).status_code == 403
    assert not Reflection.objects.exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db):
    response = client.post(URL, _valid())

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    assert not Reflection.objects.exists()
