import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from contacts.models import Activity, Contact, Kind
from netlog.access import get_editable_or_404, get_visible_or_404, owners_visible_to, visible_to
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory


@pytest.fixture
def contacts(recruiter, teammate, outsider):
    return {
        "mine": ContactFactory(owner=recruiter),
        "teammate": ContactFactory(owner=teammate),
        "outsider": ContactFactory(owner=outsider),
    }


def visible_names(user, contacts):
    visible = set(visible_to(Contact.objects.all(), user).values_list("pk", flat=True))
    return {name for name, contact in contacts.items() if contact.pk in visible}


def test_a_recruiter_sees_only_their_own_contacts(recruiter, contacts):
    assert visible_names(recruiter, contacts) == {"mine"}


def test_a_manager_sees_their_team_and_not_another_team(manager, contacts):
    assert visible_names(manager, contacts) == {"mine", "teammate"}


def test_the_dpo_sees_the_whole_organisation(dpo, contacts):
    assert visible_names(dpo, contacts) == {"mine", "teammate", "outsider"}


def test_an_assessor_sees_no_contacts(assessor, contacts):
    assert visible_names(assessor, contacts) == set()


def test_a_deactivated_recruiter_sees_nothing(recruiter, contacts):
    recruiter.is_active = False
    recruiter.save()
    assert visible_names(recruiter, contacts) == set()


def test_an_object_outside_the_scope_answers_404(recruiter, contacts):
    with pytest.raises(Http404):
        get_visible_or_404(Contact.objects.all(), recruiter, pk=contacts["outsider"].pk)


def test_a_readable_but_not_editable_object_answers_403(manager, contacts):
    with pytest.raises(PermissionDenied):
        get_editable_or_404(Contact.objects.all(), manager, pk=contacts["mine"].pk)


def test_a_manager_cannot_even_learn_of_another_teams_object(manager, contacts):
    with pytest.raises(Http404):
        get_editable_or_404(Contact.objects.all(), manager, pk=contacts["outsider"].pk)


def test_the_owner_may_edit(recruiter, contacts):
    assert (
        get_editable_or_404(Contact.objects.all(), recruiter, pk=contacts["mine"].pk)
        == contacts["mine"]
    )


def test_the_dpo_reads_but_does_not_edit_a_recruiters_contact(dpo, contacts):
    assert get_visible_or_404(Contact.objects.all(), dpo, pk=contacts["mine"].pk)
    with pytest.raises(PermissionDenied):
        get_editable_or_404(Contact.objects.all(), dpo, pk=contacts["mine"].pk)


def test_owner_choices_follow_the_same_scope(recruiter, teammate, outsider, manager, dpo):
    assert list(owners_visible_to(recruiter)) == [recruiter]
    assert set(owners_visible_to(manager)) == {recruiter, teammate}
    assert set(owners_visible_to(dpo)) == {recruiter, teammate, outsider}


def test_a_manager_never_sees_a_recruiters_personal_contacts(recruiter, manager, dpo):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    client = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    assert list(visible_to(Contact.objects.all(), manager)) == [client]
    with pytest.raises(Http404):
        get_visible_or_404(Contact.objects.all(), manager, pk=friend.pk)
    # The recruiter and the DPO (access and erasure requests) still see them.
    assert friend in visible_to(Contact.objects.all(), recruiter)
    assert friend in visible_to(Contact.objects.all(), dpo)


def test_a_manager_never_sees_activities_only_with_personal_contacts(recruiter, manager, dpo):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    client = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    dinner = ActivityFactory(owner=recruiter, contacts=[friend])
    meeting = ActivityFactory(owner=recruiter, contacts=[client])
    both = ActivityFactory(owner=recruiter, contacts=[friend, client])
    assert set(visible_to(Activity.objects.all(), manager)) == {meeting, both}
    assert set(visible_to(Activity.objects.all(), recruiter)) == {dinner, meeting, both}
    assert set(visible_to(Activity.objects.all(), dpo)) == {dinner, meeting, both}


def test_a_manager_reading_a_mixed_activity_is_not_shown_the_personal_contact(recruiter, manager):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL, first_name="Zebedee")
    client = ContactFactory(owner=recruiter, kind=Kind.CLIENT, first_name="Clara")
    both = ActivityFactory(owner=recruiter, contacts=[friend, client])
    as_manager = client_for(manager)
    for url in ["/", "/activities/", both.get_absolute_url()]:
        html = as_manager.get(url).content.decode()
        assert "Clara" in html, url
        assert "Zebedee" not in html, url
    OutcomeFactory(owner=recruiter, contacts=[friend, client])
    html = as_manager.get("/outcomes/").content.decode()
    assert "Clara" in html
    assert "Zebedee" not in html
