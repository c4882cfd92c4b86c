"""GET and POST /contacts/<pk>/review/: review a professional relationship, with the
activity score suggested from the log; and the review history on the contact's page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from privacy.models import Action, AuditEvent, SensitiveCategory, SensitiveConfirmation
from reviews.models import Decision, Review
from tests.conftest import client_for, hidden_from
from tests.factories import ActivityFactory, ContactFactory

DAY = datetime.timedelta(days=1)
REASON = "She asked us to plan interviews around her maternity leave."
KEEP = {"sensitive_confirmed": "on", "sensitive_justification": REASON}
CONFIRM_ERROR = "Remove it, or tick this box and say why it is needed."


@pytest.fixture
def sam(recruiter):
    """A client last in touch ten days ago: the log suggests 4 (recency 5, frequency 2)."""
    contact = ContactFactory(
        owner=recruiter, first_name="Sam", last_name="Okafor", kind=Kind.CLIENT
    )
    ActivityFactory(owner=recruiter, contacts=[contact], date=timezone.localdate() - 10 * DAY)
    return contact


def _url(contact) -> str:
    return reverse("reviews:review_create", args=[contact.pk])


def _valid(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "reviewed_on": str(today),
        "value": "4",
        "activity": "3",
        "potential": "5",
        "rationale": "Placed two engineers with her team this year; replies within a day.",
        "decision": Decision.STRENGTHEN,
        "next_actions": "Invite her to the fintech breakfast",
        "next_action_on": str(today + 14 * DAY),
    }
    return {**data, **overrides}


def review(owner, contact, reviewed_on: datetime.date, **fields) -> Review:
    values = {"value": 3, "activity": 3, "potential": 3, "decision": Decision.MAINTAIN}
    return Review.objects.create(
        owner=owner,
        contact=contact,
        reviewed_on=reviewed_on,
        rationale="Steady.",
        **{**values, **fields},
    )


def _warning(response) -> str:
    """The guard's warning box (up to the submit button), or '' when it is not shown."""
    html = response.content.decode()
    if 'id="sensitive-findings"' not in html:
        return ""
    return html.split('id="sensitive-findings"', 1)[1].split('type="submit"', 1)[0]


# The form


def test_it_prefills_and_shows_the_activity_score_the_log_suggests(as_recruiter, sam):
    response = as_recruiter.get(_url(sam))

    assert response.status_code == 200
    assert response.context["suggestion"] == 4
    form = response.context["form"]
    assert form["activity"].value() == 4
    assert form["reviewed_on"].value() == timezone.localdate()
    assert form.fields["activity"].help_text.endswith("Suggested from the log: 4.")
    html = response.content.decode()
    # Read with the radios: the fieldset is described by the help text.
    assert re.search(
        r'<fieldset aria-describedby="id_activity_helptext">.*?'
        r'id="id_activity_helptext"[^>]*>[^<]*Suggested from the log: 4\.',
        html,
        re.S,
    )
    assert re.search(r'<input[^>]*name="activity"[^>]*value="4"[^>]*checked', html)
    assert not re.search(r'<input[^>]*name="value"[^>]*checked', html)


def test_it_suggests_the_lowest_score_for_a_contact_never_in_touch(as_recruiter, recruiter):
    quiet = ContactFactory(owner=recruiter, kind=Kind.REFERRER)

    response = as_recruiter.get(_url(quiet))

    assert response.context["suggestion"] == 1
    assert response.context["form"]["activity"].value() == 1


def test_it_shows_the_earlier_reviews_and_recent_activity(as_recruiter, recruiter, sam):
    review(recruiter, sam, timezone.localdate() - 200 * DAY, decision=Decision.DISCONTINUE)

    response = as_recruiter.get(_url(sam))

    assert [r.decision for r in response.context["history"]] == [Decision.DISCONTINUE]
    assert len(response.context["recent"]) == 1
    assert "None: this is the first." not in response.content.decode()


# Saving


def test_it_saves_the_review_for_the_owner_and_the_contact(as_recruiter, recruiter, sam):
    response = as_recruiter.post(_url(sam), _valid())

    saved = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == saved.get_absolute_url()
    assert saved.owner == recruiter
    assert saved.contact == sam
    assert (saved.value, saved.activity, saved.potential) == (4, 3, 5)
    assert saved.total == 12
    assert saved.decision == Decision.STRENGTHEN
    assert saved.reviewed_on == timezone.localdate()
    assert saved.next_actions == "Invite her to the fintech breakfast"
    assert saved.next_action_on == timezone.localdate() + 14 * DAY
    assert saved.next_action_done_at is None


def test_it_records_the_activity_score_the_log_suggested(as_recruiter, sam):
    as_recruiter.post(_url(sam), _valid(activity="2"))

    assert Review.objects.get().suggested_activity == 4


def test_it_records_an_audit_event(as_recruiter, recruiter, sam):
    as_recruiter.post(_url(sam), _valid())

    saved = Review.objects.get()
    event = AuditEvent.objects.get(object_type="reviews.review")
    assert (event.actor, event.action, event.object_id) == (recruiter, Action.CREATED, saved.pk)
    assert event.detail == ""


def test_it_confirms_the_review_was_saved(as_recruiter, sam):
    response = as_recruiter.post(_url(sam), _valid(), follow=True)

    html = response.content.decode()
    assert "Review saved." in html
    assert "Placed two engineers with her team this year" in html


def test_it_saves_a_review_without_a_next_action(as_recruiter, sam):
    response = as_recruiter.post(
        _url(sam), _valid(decision=Decision.MAINTAIN, next_actions="", next_action_on="")
    )

    assert response.status_code == 302
    saved = Review.objects.get()
    assert (saved.next_actions, saved.next_action_on) == ("", None)


def test_it_accepts_a_next_action_on_the_review_date_of_a_past_review(as_recruiter, sam):
    earlier = timezone.localdate() - 30 * DAY

    response = as_recruiter.post(
        _url(sam), _valid(reviewed_on=str(earlier), next_action_on=str(earlier))
    )

    assert response.status_code == 302
    assert Review.objects.get().next_action_on == earlier


# Bad input


@pytest.mark.parametrize(
    "field, overrides, message",
    [
        ("rationale", lambda today: {"rationale": ""}, "This field is required."),
        ("rationale", lambda today: {"rationale": "   "}, "This field is required."),
        ("value", lambda today: {"value": "0"}, "greater than or equal to 1"),
        ("value", lambda today: {"value": "6"}, "less than or equal to 5"),
        ("activity", lambda today: {"activity": "-1"}, "greater than or equal to"),
        ("potential", lambda today: {"potential": "50"}, "less than or equal to 5"),
        ("potential", lambda today: {"potential": ""}, "This field is required."),
        ("value", lambda today: {"value": "high"}, "Enter a whole number."),
        ("decision", lambda today: {"decision": "forget"}, "Select a valid choice."),
        ("decision", lambda today: {"decision": ""}, "This field is required."),
        (
            "reviewed_on",
            lambda today: {"reviewed_on": str(today + DAY)},
            "This cannot be dated in the future.",
        ),
        ("reviewed_on", lambda today: {"reviewed_on": "2025-02-31"}, "Enter a valid date."),
        (
            "next_action_on",
            lambda today: {"reviewed_on": str(today), "next_action_on": str(today - DAY)},
            "The next action cannot be before the review.",
        ),
        (
            "next_actions",
            lambda today: {"next_actions": "  ", "next_action_on": str(today + DAY)},
            "Say what the next action is.",
        ),
    ],
)
def test_it_shows_the_error_next_to_the_field_and_saves_nothing(
    as_recruiter, sam, field, overrides, message
):
    response = as_recruiter.post(_url(sam), _valid(**overrides(timezone.localdate())))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert "Nothing was saved." in response.content.decode()
    assert not Review.objects.exists()
    assert not AuditEvent.objects.filter(object_type="reviews.review").exists()


def test_it_keeps_what_was_typed_after_an_error(as_recruiter, sam):
    response = as_recruiter.post(_url(sam), _valid(decision="", rationale="Useful referrer"))

    assert "Useful referrer" in response.content.decode()
    assert response.context["form"]["value"].value() == "4"


# Personal contacts


def test_it_refuses_to_review_a_personal_contact(as_recruiter, recruiter):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)

    response = as_recruiter.post(_url(friend), _valid(), follow=True)

    assert response.redirect_chain == [(friend.get_absolute_url(), 302)]
    assert "Personal / social contacts are not reviewed as networking." in (
        response.content.decode()
    )
    assert not Review.objects.exists()


def test_it_does_not_show_the_form_for_a_personal_contact(as_recruiter, recruiter):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)

    response = as_recruiter.get(_url(friend))

    assert response.status_code == 302
    assert response["Location"] == friend.get_absolute_url()


# Who may review


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_contact_from_anyone_outside_its_scope(request, sam, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(_url(sam)).status_code == hidden_from(role)
    assert client.post(_url(sam), _valid()).status_code == hidden_from(role)
    assert not Review.objects.exists()


@pytest.mark.parametrize("role", ["manager", "dpo"])
def test_it_forbids_those_who_may_only_read_the_contact(request, sam, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(_url(sam)).status_code == 403
    assert client.post(_url(sam), _valid()).status_code == 403
    assert not Review.objects.exists()


def test_it_hides_a_personal_contact_from_the_manager(as_manager, recruiter):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)

    assert as_manager.post(_url(friend), _valid()).status_code == 404


def test_it_answers_404_for_a_contact_that_does_not_exist(as_recruiter):
    assert as_recruiter.get(reverse("reviews:review_create", args=[999999])).status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, sam):
    response = client.post(_url(sam), _valid())

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={_url(sam)}"
    assert not Review.objects.exists()


# The special-category guard


def test_it_flags_a_sensitive_rationale_and_saves_nothing(as_recruiter, sam):
    response = as_recruiter.post(_url(sam), _valid(rationale="She is pregnant, so quieter."))

    assert response.status_code == 200
    warning = _warning(response)
    assert "Rationale: <mark>pregnant</mark>" in warning
    assert "(Pregnancy or maternity)" in warning
    assert CONFIRM_ERROR in warning
    assert not Review.objects.exists()
    assert not SensitiveConfirmation.objects.exists()


def test_it_flags_sensitive_next_actions_too(as_recruiter, sam):
    response = as_recruiter.post(_url(sam), _valid(next_actions="Ask how the pregnancy is going"))

    assert [f.field for f in response.context["form"].findings] == ["Next actions"]
    assert not Review.objects.exists()


def test_ticking_without_a_reason_still_saves_nothing(as_recruiter, sam):
    data = _valid(rationale="she is pregnant", sensitive_confirmed="on")

    response = as_recruiter.post(_url(sam), data)

    assert list(response.context["form"].errors) == ["sensitive_justification"]
    assert not Review.objects.exists()


def test_ticking_and_justifying_saves_and_records_the_reason(as_recruiter, recruiter, sam):
    response = as_recruiter.post(_url(sam), _valid(rationale="she is pregnant", **KEEP))

    assert response.status_code == 302
    saved = Review.objects.get()
    assert saved.rationale == "she is pregnant"
    confirmation = SensitiveConfirmation.objects.get()
    assert (confirmation.object_type, confirmation.object_id) == ("reviews.review", saved.pk)
    assert confirmation.categories == [SensitiveCategory.PREGNANCY]
    assert confirmation.justification == REASON
    assert confirmation.recorded_by == recruiter


# The history on the contact's page


def _history(response) -> list[str]:
    listing = re.search(
        r'aria-label="Review history">(.*?)</ul>', response.content.decode(), re.S
    ).group(1)
    return re.findall(r'href="/reviews/(\d+)/"', listing)


def test_the_contacts_page_lists_its_reviews_newest_first(as_recruiter, recruiter, sam):
    today = timezone.localdate()
    oldest = review(recruiter, sam, today - 300 * DAY)
    newest = review(recruiter, sam, today - 5 * DAY, decision=Decision.STRENGTHEN)
    middle = review(recruiter, sam, today - 100 * DAY)
    same_day_later = review(recruiter, sam, today - 100 * DAY)

    response = as_recruiter.get(sam.get_absolute_url())

    expected = [newest, same_day_later, middle, oldest]
    assert list(response.context["reviews"]) == expected
    assert _history(response) == [str(r.pk) for r in expected]


def test_the_contacts_page_shows_the_new_review(as_recruiter, sam):
    as_recruiter.post(_url(sam), _valid())

    response = as_recruiter.get(sam.get_absolute_url())

    assert _history(response) == [str(Review.objects.get().pk)]
    assert "Strengthen · value 4, activity 3, potential 5" in response.content.decode()


def test_the_contacts_page_offers_the_review_only_to_the_owner(as_recruiter, as_manager, sam):
    review_link = f'href="{_url(sam)}"'

    assert review_link in as_recruiter.get(sam.get_absolute_url()).content.decode()
    assert review_link not in as_manager.get(sam.get_absolute_url()).content.decode()


def test_the_contacts_page_shows_the_manager_the_history(as_manager, recruiter, sam):
    kept = review(recruiter, sam, timezone.localdate() - DAY)

    response = as_manager.get(sam.get_absolute_url())

    assert _history(response) == [str(kept.pk)]
