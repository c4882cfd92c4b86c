import datetime

from django.utils import timezone

from contacts.views import TIMELINE_LENGTH
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory


def url(contact) -> str:
    return f"/contacts/{contact.pk}/"


def test_it_shows_the_contact_and_a_timeline_newest_first(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, first_name="Olivia", organisation="Northwind")
    today = timezone.localdate()
    older = ActivityFactory(
        owner=recruiter,
        contacts=[contact],
        date=today - datetime.timedelta(days=9),
        summary="First coffee",
    )
    newer = ActivityFactory(owner=recruiter, contacts=[contact], date=today, summary="Offer call")
    ActivityFactory(owner=recruiter, summary="With someone else")
    response = as_recruiter.get(url(contact))
    assert response.status_code == 200
    assert list(response.context["timeline"]) == [newer, older]
    html = response.content.decode()
    assert "Northwind" in html
    assert html.index("Offer call") < html.index("First coffee")
    assert "With someone else" not in html


def test_the_timeline_stops_at_the_latest_and_links_to_every_activity(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, first_name="Olivia")
    today = timezone.localdate()
    for days in range(TIMELINE_LENGTH + 1):
        ActivityFactory(
            owner=recruiter,
            contacts=[contact],
            date=today - datetime.timedelta(days=days),
            summary=f"Call {days} days ago",
        )
    response = as_recruiter.get(url(contact))
    timeline = list(response.context["timeline"])
    assert len(timeline) == TIMELINE_LENGTH
    assert timeline[0].summary == "Call 0 days ago"
    html = response.content.decode()
    assert f"Call {TIMELINE_LENGTH - 1} days ago" in html
    assert f"Call {TIMELINE_LENGTH} days ago" not in html
    assert f'href="/activities/?contact={contact.pk}">See every activity with Olivia' in html


def test_a_short_timeline_has_no_link_to_more(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact])
    assert "See every activity" not in as_recruiter.get(url(contact)).content.decode()


def test_the_owner_gets_the_quick_log_form_and_edit_links(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter)
    html = as_recruiter.get(url(contact)).content.decode()
    assert f'action="/contacts/{contact.pk}/log/"' in html
    assert f"/contacts/{contact.pk}/edit/" in html


def test_another_recruiter_gets_404(as_outsider, recruiter):
    contact = ContactFactory(owner=recruiter)
    assert as_outsider.get(url(contact)).status_code == 404


def test_a_guessed_id_that_does_not_exist_gets_404(as_recruiter):
    assert as_recruiter.get("/contacts/987654/").status_code == 404


def test_the_team_manager_reads_without_edit_controls(as_manager, recruiter):
    contact = ContactFactory(owner=recruiter, first_name="Olivia")
    response = as_manager.get(url(contact))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Olivia" in html
    assert "/edit/" not in html
    assert "/log/" not in html
    assert response.context["form"] is None


def test_another_teams_manager_gets_404(other_manager, recruiter):
    contact = ContactFactory(owner=recruiter)
    assert client_for(other_manager).get(url(contact)).status_code == 404


def test_it_lists_outcomes_the_contact_led_to(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter)
    OutcomeFactory(owner=recruiter, contacts=[contact], kind="client_won", value=5000)
    html = as_recruiter.get(url(contact)).content.decode()
    assert "Client won" in html
    assert "£5,000" in html


def test_query_count_does_not_grow_with_the_timeline(
    as_recruiter, recruiter, django_assert_max_num_queries
):
    contact = ContactFactory(owner=recruiter)
    ActivityFactory.create_batch(2, owner=recruiter, contacts=[contact])
    # Session, user, contact, audit entry, timeline, outcomes, tags, basis, consent and
    # disclosure history, stay in touch, reviews, reciprocity.
    with django_assert_max_num_queries(13) as few:
        as_recruiter.get(url(contact))
    others = ContactFactory.create_batch(3, owner=recruiter)
    ActivityFactory.create_batch(30, owner=recruiter, contacts=[contact, *others])
    with django_assert_max_num_queries(len(few.captured_queries)):
        as_recruiter.get(url(contact))
