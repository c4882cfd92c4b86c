"""GET and POST /evidence/<kind>/<pk>/: the owner links one of their activities,
reviews, reflections, testimonies or outcomes to the criteria it evidences."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from contacts.models import Kind
from privacy.models import Action, AuditEvent
from reviews.models import Criterion, EvidenceLink
from tests.conftest import client_for, hidden_from
from tests.factories import ActivityFactory, ContactFactory
from tests.reviews.test_coverage import make_item

KINDS = EvidenceLink.ITEMS  # activity, review, reflection, testimony, outcome


def _criterion(code: str) -> Criterion:
    return Criterion.objects.get(outcome__unit__code="NET", code=code)


def _url(kind: str, item) -> str:
    return reverse("reviews:evidence_edit", args=[kind, item.pk])


def _linked(kind: str, item) -> set[str]:
    return set(
        EvidenceLink.objects.filter(**{kind: item}).values_list("criterion__code", flat=True)
    )


def _link(kind: str, item, *codes: str) -> None:
    for code in codes:
        EvidenceLink.objects.create(owner=item.owner, criterion=_criterion(code), **{kind: item})


def _data(*codes: str) -> dict:
    return {"criteria": [_criterion(code).pk for code in codes]}


def _checked(html: str) -> set[str]:
    """The codes of the criteria whose boxes are ticked."""
    ids = re.findall(r'<input[^>]*value="(\d+)"[^>]*\bchecked\b', html)
    return set(Criterion.objects.filter(pk__in=ids).values_list("code", flat=True))


def _audited(kind: str, item) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=item._meta.label_lower, object_id=item.pk, detail="criteria linked"
        )
    )


@pytest.fixture(params=KINDS)
def kind(request) -> str:
    return request.param


@pytest.fixture
def item(kind, recruiter):
    return make_item(kind, recruiter)


# GET


def test_it_offers_every_criterion(as_recruiter, kind, item):
    response = as_recruiter.get(_url(kind, item))

    assert response.status_code == 200
    html = response.content.decode()
    for criterion in Criterion.objects.all():
        assert f'id="criterion-{criterion.pk}"' in html
    assert "Save criteria" in html


def test_it_ticks_the_criteria_already_linked(as_recruiter, kind, item, recruiter):
    _link(kind, item, "2.2", "3.1")
    _link(kind, make_item(kind, recruiter), "1.1")  # another item's

    response = as_recruiter.get(_url(kind, item))

    assert _checked(response.content.decode()) == {"2.2", "3.1"}


def test_it_ticks_nothing_for_an_item_not_yet_linked(as_recruiter, kind, item):
    response = as_recruiter.get(_url(kind, item))

    assert _checked(response.content.decode()) == set()


def test_it_does_not_change_anything_on_get(as_recruiter, kind, item):
    _link(kind, item, "2.2")

    as_recruiter.get(_url(kind, item))

    assert _linked(kind, item) == {"2.2"}
    assert _audited(kind, item) == []


# POST


def test_it_links_the_ticked_criteria(as_recruiter, kind, item, recruiter):
    response = as_recruiter.post(_url(kind, item), _data("2.2", "3.4"))

    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert _linked(kind, item) == {"2.2", "3.4"}
    assert {link.owner for link in EvidenceLink.objects.all()} == {recruiter}
    assert {link.kind for link in EvidenceLink.objects.all()} == {kind}


def test_it_removes_the_criteria_unticked(as_recruiter, kind, item):
    _link(kind, item, "2.2", "3.1", "4.1")

    as_recruiter.post(_url(kind, item), _data("3.1", "1.2"))

    assert _linked(kind, item) == {"3.1", "1.2"}


def test_it_keeps_an_unchanged_link(as_recruiter, kind, item):
    _link(kind, item, "3.1")
    kept = EvidenceLink.objects.get()

    as_recruiter.post(_url(kind, item), _data("3.1", "1.2"))

    assert EvidenceLink.objects.filter(pk=kept.pk).exists()


def _browser(user) -> Client:
    """A client that checks CSRF, as a browser meets it: the form carries the token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _token(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_it_removes_every_link_when_nothing_is_ticked(recruiter, kind, item):
    _link(kind, item, "2.2", "3.1")
    browser = _browser(recruiter)
    url = _url(kind, item)

    # A browser sends no "criteria" at all when every box is unticked, only the token.
    response = browser.post(url, {"csrfmiddlewaretoken": _token(browser, url)})

    assert response.status_code == 302
    assert _linked(kind, item) == set()


def test_it_removes_every_link_on_a_post_without_fields(recruiter):
    activity = ActivityFactory(owner=recruiter)
    _link("activity", activity, "2.2", "3.1")
    browser = _browser(recruiter)
    url = _url("activity", activity)

    response = browser.post(url, {}, headers={"X-CSRFToken": _token(browser, url)})

    assert response.status_code == 302
    assert _linked("activity", activity) == set()


def test_it_leaves_other_items_links_alone(as_recruiter, kind, item, recruiter):
    other = make_item(kind, recruiter)
    _link(kind, other, "2.2")
    activity = ActivityFactory(owner=recruiter)
    _link("activity", activity, "3.1")

    as_recruiter.post(_url(kind, item), _data("1.1"))

    assert _linked(kind, other) == {"2.2"}
    assert _linked("activity", activity) == {"3.1"}


def test_it_writes_an_audit_event(as_recruiter, kind, item, recruiter):
    as_recruiter.post(_url(kind, item), _data("2.2"))

    [event] = _audited(kind, item)
    assert (event.actor, event.action) == (recruiter, Action.CHANGED)


def test_it_shows_the_saved_message(as_recruiter, kind, item):
    response = as_recruiter.post(_url(kind, item), _data("2.2"), follow=True)

    assert "Criteria saved." in response.content.decode()


# Bad input


@pytest.mark.parametrize("bad", ["999999", "abc", ""])
def test_it_refuses_an_unknown_criterion_and_saves_nothing(as_recruiter, kind, item, bad):
    _link(kind, item, "3.1")

    response = as_recruiter.post(_url(kind, item), {"criteria": [_criterion("2.2").pk, bad]})

    assert response.status_code == 200
    assert response.context["form"].errors["criteria"]
    assert _linked(kind, item) == {"3.1"}
    assert _audited(kind, item) == []


def test_it_keeps_the_ticks_given_when_the_form_is_refused(as_recruiter, kind, item):
    response = as_recruiter.post(_url(kind, item), {"criteria": [_criterion("2.2").pk, "999999"]})

    assert _checked(response.content.decode()) == {"2.2"}


@pytest.mark.parametrize("unknown", ["contact", "testimonies", "Activity", "signoff"])
def test_it_answers_404_for_an_unknown_kind(as_recruiter, recruiter, unknown):
    activity = ActivityFactory(owner=recruiter)

    assert as_recruiter.get(f"/evidence/{unknown}/{activity.pk}/").status_code == 404
    assert as_recruiter.post(f"/evidence/{unknown}/{activity.pk}/", _data("2.2")).status_code == 404
    assert not EvidenceLink.objects.exists()


def test_it_answers_404_for_an_item_that_does_not_exist(as_recruiter, kind):
    response = as_recruiter.get(reverse("reviews:evidence_edit", args=[kind, 999999]))

    assert response.status_code == 404


# Who may link


@pytest.mark.parametrize("who", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_item_from_people_who_cannot_see_it(request, kind, item, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(_url(kind, item)).status_code == hidden_from(who)
    assert client.post(_url(kind, item), _data("2.2")).status_code == hidden_from(who)
    assert _linked(kind, item) == set()


@pytest.mark.parametrize("who", ["manager", "dpo"])
def test_it_lets_readers_see_but_not_link(request, kind, item, who):
    _link(kind, item, "3.1")
    client = client_for(request.getfixturevalue(who))

    assert client.get(_url(kind, item)).status_code == 403
    assert client.post(_url(kind, item), _data("2.2")).status_code == 403
    assert _linked(kind, item) == {"3.1"}
    assert _audited(kind, item) == []


def test_it_hides_a_personal_activity_from_the_manager(as_manager, recruiter):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    activity = ActivityFactory(owner=recruiter, contacts=[friend])

    assert as_manager.get(_url("activity", activity)).status_code == 404


def test_it_refuses_an_activity_with_only_personal_contacts(as_recruiter, recruiter):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    activity = ActivityFactory(owner=recruiter, contacts=[friend])

    as_recruiter.post(_url("activity", activity), _data("2.2"))

    assert _linked("activity", activity) == set()


def test_it_sends_an_anonymous_visitor_to_log_in(client, kind, item):
    response = client.post(_url(kind, item), _data("2.2"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _linked(kind, item) == set()
