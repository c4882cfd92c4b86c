"""Activity.private, stored by reviews.summary: an activity with personal / social
contacts and no professional one is private, hidden from the recruiter's manager and
left out of networking figures. The stored flag must follow every way its links and
its contacts' kinds change, or a manager would read a recruiter's private life; each
test checks the flag against the rule worked out afresh (Activity.private_rule), and
the shared activities per day (ActivityDay), which follow the flag, against the log."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.merge import contacts_merge
from contacts.models import Activity, Contact, Direction, Kind
from netlog.access import visible_to
from privacy.services import person_erase
from reviews.summary import activities_classify, activity_days_recount
from reviews.tasks import activities_reclassify
from tests.conftest import daily_schedule
from tests.factories import ActivityFactory, ContactFactory, UserFactory
from tests.reviews.checks import activity_days, summaries


def _private() -> set[int]:
    """The stored flags, after checking them against the rule worked out afresh."""
    stored = set(Activity.objects.filter(private=True).values_list("pk", flat=True))
    rule = set(Activity.objects.filter(Activity.private_rule()).values_list("pk", flat=True))
    assert stored == rule
    activity_days()
    return stored


@pytest.fixture
def friend(recruiter):
    return ContactFactory(owner=recruiter, kind=Kind.PERSONAL, first_name="Friend")


@pytest.fixture
def client_contact(recruiter):
    return ContactFactory(owner=recruiter, kind=Kind.CLIENT, first_name="Client")


def test_an_activity_with_only_personal_contacts_is_private(recruiter, friend, client_contact):
    dinner = ActivityFactory(owner=recruiter, contacts=[friend])
    lunch = ActivityFactory(owner=recruiter, contacts=[friend, client_contact])
    call = ActivityFactory(owner=recruiter, contacts=[client_contact])
    alone = ActivityFactory(owner=recruiter, contacts=[])
    assert _private() == {dinner.pk}
    assert {lunch.pk, call.pk, alone.pk}.isdisjoint(_private())


@pytest.mark.parametrize("side", ["activity", "contact"])
def test_adding_a_professional_contact_makes_it_shared(recruiter, friend, client_contact, side):
    dinner = ActivityFactory(owner=recruiter, contacts=[friend])
    if side == "activity":
        dinner.contacts.add(client_contact)
    else:
        client_contact.activities.add(dinner)
    assert _private() == set()


@pytest.mark.parametrize("how", ["remove", "set", "remove_from_contact", "clear_from_contact"])
def test_taking_the_professional_contact_off_makes_it_private(
    recruiter, friend, client_contact, how
):
    lunch = ActivityFactory(owner=recruiter, contacts=[friend, client_contact])
    if how == "remove":
        lunch.contacts.remove(client_contact)
    elif how == "set":
        lunch.contacts.set([friend])
    elif how == "remove_from_contact":
        client_contact.activities.remove(lunch)
    else:
        client_contact.activities.clear()
    assert _private() == {lunch.pk}


def test_clearing_an_activitys_contacts_makes_it_shared(recruiter, friend):
    dinner = ActivityFactory(owner=recruiter, contacts=[friend])
    dinner.contacts.clear()
    assert _private() == set()


@pytest.mark.parametrize("how", ["save", "save_kind_only"])
def test_a_contact_made_personal_takes_its_activities_with_it(
    recruiter, client_contact, friend, how
):
    call = ActivityFactory(owner=recruiter, contacts=[client_contact])
    lunch = ActivityFactory(owner=recruiter, contacts=[client_contact, friend])
    client_contact.kind = Kind.PERSONAL
    client_contact.save(**({"update_fields": ["kind"]} if how == "save_kind_only" else {}))
    assert _private() == {call.pk, lunch.pk}
    client_contact.kind = Kind.CLIENT
    client_contact.save()
    assert _private() == set()


def test_a_save_that_leaves_the_kind_alone_writes_no_activity(
    recruiter, client_contact, django_assert_num_queries
):
    ActivityFactory(owner=recruiter, contacts=[client_contact])
    client_contact.organisation = "Acme"
    with django_assert_num_queries(1):  # the UPDATE of the contact, nothing more
        client_contact.save(update_fields=["organisation"])


def test_a_full_save_of_an_activity_read_earlier_keeps_the_flag(recruiter, client_contact, friend):
    lunch = ActivityFactory(owner=recruiter, contacts=[client_contact, friend])
    stale = Activity.objects.get(pk=lunch.pk)
    lunch.contacts.remove(client_contact)  # now private
    stale.summary = "Edited"
    stale.save()
    assert _private() == {lunch.pk}
    assert Activity.objects.get(pk=lunch.pk).summary == "Edited"


def test_deleting_the_only_professional_contact_makes_it_private(recruiter, client_contact, friend):
    lunch = ActivityFactory(owner=recruiter, contacts=[client_contact, friend])
    client_contact.delete()
    assert _private() == {lunch.pk}


def test_deleting_contacts_in_bulk_counts_too(recruiter, friend):
    clients = ContactFactory.create_batch(2, owner=recruiter, kind=Kind.CLIENT)
    lunch = ActivityFactory(owner=recruiter, contacts=[*clients, friend])
    Contact.objects.filter(pk__in=[c.pk for c in clients]).delete()
    assert _private() == {lunch.pk}


def test_erasing_the_professional_contact_leaves_the_activity_private(
    recruiter, client_contact, friend
):
    lunch = ActivityFactory(owner=recruiter, contacts=[client_contact, friend])
    person_erase(contacts=[client_contact])
    assert Activity.objects.filter(pk=lunch.pk).exists()
    assert _private() == {lunch.pk}


def test_merging_a_personal_duplicate_into_a_professional_one(recruiter, client_contact):
    duplicate = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    dinner = ActivityFactory(owner=recruiter, contacts=[duplicate])
    assert _private() == {dinner.pk}
    contacts_merge(keep=client_contact, other=duplicate, by=recruiter)
    assert _private() == set()


def test_a_manager_never_reads_a_private_activity(recruiter, manager, friend, client_contact):
    lunch = ActivityFactory(owner=recruiter, contacts=[friend, client_contact])
    seen = visible_to(Activity.objects.all(), manager)
    assert list(seen) == [lunch]
    lunch.contacts.remove(client_contact)
    assert not seen.all().exists()


def test_classifying_again_from_scratch_changes_nothing(recruiter, friend, client_contact):
    ActivityFactory(owner=recruiter, contacts=[friend])
    ActivityFactory(owner=recruiter, contacts=[friend, client_contact])
    before = _private()
    assert activities_classify() == 0
    Activity.objects.update(private=False)  # around the receivers: the days miss it
    assert activities_classify() == len(before)
    assert activity_days_recount() == 1  # the day it was taken away from twice
    assert _private() == before


# Any sequence of changes leaves the stored flag equal to the rule.

DIRECTIONS = list(Direction)

STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["add", "remove", "clear", "kind", "delete_contact", "new_contact", "move", "delete"]
        ),
        st.integers(min_value=0, max_value=3),  # which activity
        st.integers(min_value=0, max_value=3),  # which contact
        st.sampled_from([Kind.PERSONAL, Kind.CLIENT, Kind.CANDIDATE]),
    ),
    max_size=12,
)


@settings(max_examples=30, deadline=None)
@given(steps=STEPS)
@pytest.mark.django_db
def test_any_sequence_of_changes_keeps_the_flag_true(steps):
    owner = UserFactory(username="private-owner")
    Activity.objects.filter(owner=owner).delete()
    Contact.objects.filter(owner=owner).delete()
    contacts = [ContactFactory(owner=owner, kind=Kind.PERSONAL) for _ in range(2)]
    contacts += [ContactFactory(owner=owner, kind=Kind.CLIENT) for _ in range(2)]
    activities = [ActivityFactory(owner=owner, contacts=[]) for _ in range(4)]
    for action, a, c, kind in steps:
        activity, contact = activities[a], contacts[c]
        if action == "add":
            activity.contacts.add(contact)
        elif action == "remove":
            contact.activities.remove(activity)
        elif action == "clear":
            (activity.contacts if c % 2 else contact.activities).clear()
        elif action == "kind":
            contact.kind = kind
            contact.save()
        elif action == "delete_contact":
            contact.delete()
            contacts[c] = ContactFactory(owner=owner, kind=kind)
        elif action == "new_contact":
            contacts[c] = ContactFactory(owner=owner, kind=kind)
            activity.contacts.add(contacts[c])
        elif action == "move":  # another day and way, from an instance that may be stale
            activity.date -= datetime.timedelta(days=c)
            activity.direction = DIRECTIONS[(a + c) % 3]
            activity.save()
        else:
            activity.delete()
            activities[a] = ActivityFactory(owner=owner, contacts=[contact])
        _private()
        summaries(Contact.objects.filter(owner=owner).values("pk"))


# The nightly check


def test_the_nightly_check_puts_right_a_flag_written_around_the_receivers(
    recruiter, friend, client_contact, caplog
):
    dinner = ActivityFactory(owner=recruiter, contacts=[friend])
    call = ActivityFactory(owner=recruiter, contacts=[client_contact])
    Activity.objects.filter(pk=dinner.pk).update(private=False)  # as code skipping signals
    Activity.objects.filter(pk=call.pk).update(private=True)

    assert activities_reclassify() == 2

    assert _private() == {dinner.pk}
    assert "corrected 2 activities' private flag" in caplog.text
    assert activities_classify() == 0  # nothing left to put right
    assert activities_reclassify() is None  # and the job has had its run today


def test_the_nightly_check_is_scheduled(db):
    assert daily_schedule("reviews.tasks.activities_reclassify") == ("3", "15", "Europe/London")
