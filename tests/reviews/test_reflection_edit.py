"""GET and POST /reflections/<pk>/edit/: change a reflection and what it is linked to."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from privacy.models import Action, AuditEvent, SensitiveConfirmation
from reviews.models import Decision, Reflection, Review
from tests.conftest import client_for, hidden_from
from tests.factories import ActivityFactory, ContactFactory

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
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", kind=Kind.CLIENT)


@pytest.fixture
def alex(recruiter):
    return ContactFactory(owner=recruiter, first_name="Alex", kind=Kind.REFERRER)


@pytest.fixture
def reflection(recruiter, sam):
    made = Reflection.objects.create(
        owner=recruiter,
        title="The fintech breakfast",
        written_on=timezone.localdate() - 3 * DAY,
        text="Two warm introductions.",
    )
    made.contacts.set([sam])
    return made


def _url(reflection: Reflection) -> str:
    return reverse("reviews:reflection_edit", args=[reflection.pk])


def _data(reflection: Reflection, **overrides) -> dict:
    data = {
        "title": reflection.title,
        "written_on": str(reflection.written_on),
        "text": reflection.text,
        "contacts": [c.pk for c in reflection.contacts.all()],
        "activities": [a.pk for a in reflection.activities.all()],
        "reviews": [r.pk for r in reflection.reviews.all()],
    }
    return {**data, **overrides}


def _fresh(reflection: Reflection) -> Reflection:
    return Reflection.objects.get(pk=reflection.pk)


def test_it_shows_the_reflection_as_it_is(as_recruiter, reflection, sam):
    response = as_recruiter.get(_url(reflection))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "The fintech breakfast"
    assert form["contacts"].value() == [sam.pk]
    assert "Edit reflection" in response.content.decode()


def test_it_changes_the_text_and_the_links(as_recruiter, recruiter, reflection, alex):
    activity = ActivityFactory(owner=recruiter, contacts=[alex])
    alexs_review = review(recruiter, alex)
    data = _data(
        reflection,
        title="Breakfasts are worth it",
        text="Two introductions, one placement.",
        contacts=[alex.pk],
        activities=[activity.pk],
        reviews=[alexs_review.pk],
    )

    response = as_recruiter.post(_url(reflection), data)

    assert response.status_code == 302
    assert response["Location"] == reflection.get_absolute_url()
    saved = _fresh(reflection)
    assert (saved.title, saved.text) == (
        "Breakfasts are worth it",
        "Two introductions, one placement.",
    )
    assert list(saved.contacts.all()) == [alex]
    assert list(saved.activities.all()) == [activity]
    assert list(saved.reviews.all()) == [alexs_review]
    assert saved.owner == recruiter


def test_it_unlinks_everything(as_recruiter, reflection):
    as_recruiter.post(_url(reflection), _data(reflection, contacts=[]))

    assert not _fresh(reflection).contacts.exists()


def test_it_records_an_audit_event(as_recruiter, recruiter, reflection):
    response = as_recruiter.post(_url(reflection), _data(reflection, title="New"), follow=True)

    event = AuditEvent.objects.get(object_type="reviews.reflection")
    assert (event.actor, event.action, event.object_id) == (
        recruiter,
        Action.CHANGED,
        reflection.pk,
    )
    assert "Reflection saved." in response.content.decode()


@pytest.mark.parametrize(
    "field, overrides, message",
    [
        ("title", lambda today: {"title": ""}, "This field is required."),
        ("text", lambda today: {"text": ""}, "This field is required."),
        (
            "written_on",
            lambda today: {"written_on": str(today + DAY)},
            "This cannot be dated in the future.",
        ),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(
    as_recruiter, reflection, sam, field, overrides, message
):
    data = _data(reflection, contacts=[], **overrides(timezone.localdate()))

    response = as_recruiter.post(_url(reflection), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    saved = _fresh(reflection)
    assert (saved.title, saved.text) == ("The fintech breakfast", "Two warm introductions.")
    assert list(saved.contacts.all()) == [sam]
    assert not AuditEvent.objects.exists()


def test_it_refuses_another_recruiters_contact(as_recruiter, reflection, sam, outsider):
    elsewhere = ContactFactory(owner=outsider, kind=Kind.CLIENT)

    response = as_recruiter.post(_url(reflection), _data(reflection, contacts=[elsewhere.pk]))

    assert list(response.context["form"].errors) == ["contacts"]
    assert list(_fresh(reflection).contacts.all()) == [sam]


def test_it_flags_new_sensitive_text_and_changes_nothing(as_recruiter, reflection):
    response = as_recruiter.post(_url(reflection), _data(reflection, text="She is pregnant."))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["sensitive_confirmed"]
    assert _fresh(reflection).text == "Two warm introductions."
    assert not SensitiveConfirmation.objects.exists()


def test_it_keeps_sensitive_text_with_a_reason(as_recruiter, recruiter, reflection):
    response = as_recruiter.post(
        _url(reflection), _data(reflection, text="She is pregnant.", **KEEP)
    )

    assert response.status_code == 302
    assert _fresh(reflection).text == "She is pregnant."
    confirmation = SensitiveConfirmation.objects.get()
    assert (confirmation.object_type, confirmation.object_id) == (
        "reviews.reflection",
        reflection.pk,
    )
    assert confirmation.recorded_by == recruiter


def test_editing_around_kept_text_does_not_flag_it_again(as_recruiter, reflection):
    as_recruiter.post(_url(reflection), _data(reflection, text="She is pregnant.", **KEEP))
    reflection.refresh_from_db()

    response = as_recruiter.post(_url(reflection), _data(reflection, title="Retitled"))

    assert response.status_code == 302
    assert _fresh(reflection).title == "Retitled"
    assert SensitiveConfirmation.objects.count() == 1


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_reflection_from_anyone_outside_its_scope(request, reflection, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(_url(reflection)).status_code == hidden_from(role)
    assert client.post(
        _url(reflection), _data(reflection, title="Mine now")
    ).status_code == hidden_from(role)
    assert _fresh(reflection).title == "The fintech breakfast"


@pytest.mark.parametrize("role", ["manager", "dpo"])
def test_it_forbids_those_who_may_only_read_it(request, reflection, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(_url(reflection)).status_code == 403
    assert client.post(_url(reflection), _data(reflection, title="Changed")).status_code == 403
    assert _fresh(reflection).title == "The fintech breakfast"


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, reflection):
    response = client.post(_url(reflection), _data(reflection, title="Changed"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={_url(reflection)}"
    assert _fresh(reflection).title == "The fintech breakfast"
