"""GET /privacy/audit/: the DPO reads who read, changed, exported or erased personal
data, newest first, filtered by action and by who did it, a page at a time. The log
names records by type and number, never by what they hold."""

import datetime

import pytest
from django.utils import timezone

from privacy.models import Action, AuditEvent
from privacy.services import audit_log
from tests.conftest import client_for
from tests.factories import ContactFactory, DataRequestFactory

URL = "/privacy/audit/"


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def event(*, minutes_ago: int, actor=None, action=Action.VIEWED, object_id=1) -> AuditEvent:
    return AuditEvent.objects.create(
        at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        actor=actor,
        action=action,
        object_type="contacts.contact",
        object_id=object_id,
    )


def shown(response) -> list[int]:
    return [e.pk for e in response.context["page"]]


def test_it_lists_events_newest_first(as_dpo, recruiter, outsider, dpo):
    old = event(minutes_ago=30, actor=recruiter)
    new = event(minutes_ago=1, actor=outsider, action=Action.CHANGED)
    middle = event(minutes_ago=10, actor=dpo, action=Action.EXPORTED)

    response = as_dpo.get(URL)

    assert response.status_code == 200
    assert shown(response) == [new.pk, middle.pk, old.pk]


def test_events_at_the_same_moment_come_newest_id_first(as_dpo, recruiter):
    at = timezone.now()
    first = AuditEvent.objects.create(at=at, actor=recruiter, action=Action.VIEWED)
    second = AuditEvent.objects.create(at=at, actor=recruiter, action=Action.VIEWED)

    assert shown(as_dpo.get(URL)) == [second.pk, first.pk]


def test_it_filters_by_action(as_dpo, recruiter):
    viewed = event(minutes_ago=3, actor=recruiter, action=Action.VIEWED)
    event(minutes_ago=2, actor=recruiter, action=Action.DELETED)
    erased = event(minutes_ago=1, action=Action.ERASED)

    assert shown(as_dpo.get(URL, {"action": "viewed"})) == [viewed.pk]
    assert shown(as_dpo.get(URL, {"action": "erased"})) == [erased.pk]


def test_it_filters_by_who_did_it(as_dpo, recruiter, outsider):
    mine = event(minutes_ago=3, actor=recruiter)
    event(minutes_ago=2, actor=outsider)
    mine_too = event(minutes_ago=1, actor=recruiter, action=Action.CHANGED)

    response = as_dpo.get(URL, {"actor": recruiter.pk})

    assert shown(response) == [mine_too.pk, mine.pk]
    assert f'<option value="{recruiter.pk}" selected>' in response.content.decode()


def test_the_filters_combine(as_dpo, recruiter, outsider):
    event(minutes_ago=3, actor=recruiter, action=Action.VIEWED)
    wanted = event(minutes_ago=2, actor=recruiter, action=Action.CHANGED)
    event(minutes_ago=1, actor=outsider, action=Action.CHANGED)

    assert shown(as_dpo.get(URL, {"action": "changed", "actor": recruiter.pk})) == [wanted.pk]


@pytest.mark.parametrize(
    "query",
    [{"action": "hacked"}, {"action": ""}, {"actor": "abc"}, {"actor": "-1"}, {"actor": "0"}],
)
def test_it_ignores_filters_it_does_not_know(as_dpo, recruiter, query):
    events = [event(minutes_ago=2, actor=recruiter), event(minutes_ago=1, action=Action.ERASED)]

    response = as_dpo.get(URL, query)

    assert response.status_code == 200
    assert shown(response) == [e.pk for e in reversed(events)]


def test_an_actor_with_no_events_shows_none(as_dpo, recruiter, outsider):
    event(minutes_ago=1, actor=recruiter)

    response = as_dpo.get(URL, {"actor": outsider.pk})

    assert shown(response) == []
    assert "No events." in response.content.decode()


def test_it_pages_with_a_cursor_after_the_last_row(as_dpo, recruiter, settings):
    settings.NETLOG_PAGE_SIZE = 2
    events = [event(minutes_ago=m, actor=recruiter) for m in range(5, 0, -1)]  # oldest first
    newest_first = [e.pk for e in reversed(events)]

    first = as_dpo.get(URL)
    second = as_dpo.get(URL, {"after": first.context["page"].next_after})
    third = as_dpo.get(URL, {"after": second.context["page"].next_after})

    assert shown(first) == newest_first[:2]
    assert shown(second) == newest_first[2:4]
    assert shown(third) == newest_first[4:]
    assert not third.context["page"].has_next
    assert f"after={first.context['page'].next_after}" in first.content.decode()


def test_the_cursor_keeps_the_filters(as_dpo, recruiter, outsider, settings):
    settings.NETLOG_PAGE_SIZE = 1
    older = event(minutes_ago=4, actor=recruiter)
    event(minutes_ago=3, actor=outsider)
    newer = event(minutes_ago=2, actor=recruiter)

    first = as_dpo.get(URL, {"actor": recruiter.pk})
    second = as_dpo.get(URL, {"actor": recruiter.pk, "after": newer.pk})

    assert shown(first) == [newer.pk]
    assert f"?actor={recruiter.pk}&amp;after={newer.pk}" in first.content.decode()
    assert shown(second) == [older.pk]


@pytest.mark.parametrize("after", ["abc", "-5", "999999", ""])
def test_a_cursor_it_cannot_use_gives_the_first_page(as_dpo, recruiter, settings, after):
    settings.NETLOG_PAGE_SIZE = 1
    event(minutes_ago=2, actor=recruiter)
    newest = event(minutes_ago=1, actor=recruiter)

    assert shown(as_dpo.get(URL, {"after": after})) == [newest.pk]


def test_it_names_records_by_type_and_number_never_their_contents(as_dpo, recruiter):
    contact = ContactFactory(
        owner=recruiter,
        first_name="Zebedee",
        last_name="Quartermaine",
        email="zebedee@example.com",
        phone="020 7946 0958",
    )
    as_recruiter = client_for(recruiter)
    as_recruiter.get(contact.get_absolute_url())
    data_request = DataRequestFactory(
        requester_name="Zebedee Quartermaine", requester_email="zebedee@example.com"
    )
    audit_log(actor=recruiter, action=Action.REQUEST, obj=data_request, detail="erasure received")

    html = as_dpo.get(URL).content.decode()

    assert f"contacts.contact #{contact.pk}" in html
    assert f"privacy.datarequest #{data_request.pk}" in html
    assert AuditEvent.objects.filter(action=Action.VIEWED, object_id=contact.pk).exists()
    for personal in ("Zebedee", "Quartermaine", "zebedee@example.com", "7946"):
        assert personal not in html


def test_a_scheduled_job_is_shown_as_such(as_dpo):
    event(minutes_ago=1, actor=None, action=Action.ERASED)

    assert "scheduled job" in as_dpo.get(URL).content.decode()


def test_its_query_count_does_not_grow_with_the_events(
    as_dpo, recruiter, outsider, settings, django_assert_max_num_queries
):
    settings.NETLOG_PAGE_SIZE = 20
    event(minutes_ago=1, actor=recruiter)
    # The session, the user, the page of events with their actors, the actor filter.
    with django_assert_max_num_queries(4) as few:
        as_dpo.get(URL)
    for minutes in range(2, 40):
        event(minutes_ago=minutes, actor=recruiter if minutes % 2 else outsider)
    anchor = AuditEvent.objects.order_by("-at", "-id")[5]

    with django_assert_max_num_queries(len(few.captured_queries)):
        as_dpo.get(URL)
    with django_assert_max_num_queries(len(few.captured_queries) + 1):  # + the cursor's row
        as_dpo.get(URL, {"after": anchor.pk, "actor": recruiter.pk, "action": "viewed"})


@pytest.mark.parametrize("role", ["recruiter", "manager", "other_manager", "assessor"])
def test_only_the_dpo_may_read_the_log(request, role, dpo):
    event(minutes_ago=1, actor=dpo, action=Action.EXPORTED)

    response = client_for(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 403
    assert "Exported" not in response.content.decode()
