"""The Django admin keeps a contact's tags and an activity's contacts to the row's
owner, as the app's forms do: the tag filter and the stored private flag rely on it."""

from django.utils.html import escape

from contacts.models import Activity, Contact, Kind, Tag
from tests.factories import ActivityFactory, ContactFactory, TagFactory


def _contact_form(contact: Contact, **changes) -> dict:
    data = {
        "owner": contact.owner_id,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "kind": contact.kind,
        "source_channel": contact.source_channel,
        "tags": ",".join(str(t.pk) for t in contact.tags.all()),
        "updated_at_0": "",
    }
    return {**data, **changes}


def test_the_admin_refuses_another_recruiters_tag(admin_client, recruiter, teammate):
    contact = ContactFactory(owner=recruiter)
    theirs = TagFactory(owner=teammate, name="theirs")

    response = admin_client.post(
        f"/admin/contacts/contact/{contact.pk}/change/",
        _contact_form(contact, tags=str(theirs.pk)),
    )

    assert response.status_code == 200
    assert escape("Tags are the recruiter's own: theirs belong to someone else.") in (
        response.content.decode()
    )
    assert not contact.tags.exists()


def test_the_admin_refuses_moving_a_tagged_contact_without_its_tags(
    admin_client, recruiter, teammate
):
    contact = ContactFactory(owner=recruiter, first_name="Moved")
    contact.tags.set([TagFactory(owner=recruiter, name="data")])

    response = admin_client.post(
        f"/admin/contacts/contact/{contact.pk}/change/",
        _contact_form(contact, owner=teammate.pk),
    )

    assert response.status_code == 200
    assert "belong to someone else" in response.content.decode()
    contact.refresh_from_db()
    assert contact.owner == recruiter


def test_the_admin_moves_a_contact_once_its_tags_are_off(admin_client, recruiter, teammate):
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    contact.tags.set([TagFactory(owner=recruiter, name="data")])

    response = admin_client.post(
        f"/admin/contacts/contact/{contact.pk}/change/",
        _contact_form(contact, owner=teammate.pk, tags=""),
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.owner == teammate


def test_the_admin_refuses_another_recruiters_contact_on_an_activity(
    admin_client, recruiter, teammate
):
    activity = ActivityFactory(owner=recruiter, contacts=[ContactFactory(owner=recruiter)])
    theirs = ContactFactory(owner=teammate, first_name="Theirs", last_name="Person")

    response = admin_client.post(
        f"/admin/contacts/activity/{activity.pk}/change/",
        {
            "owner": recruiter.pk,
            "date": activity.date.isoformat(),
            "contacts": str(theirs.pk),
            "type": activity.type,
            "summary": activity.summary,
            "direction": activity.direction,
            "updated_at_0": "",
        },
    )

    assert response.status_code == 200
    assert "Theirs Person belong to someone else" in response.content.decode()
    assert list(Activity.objects.get(pk=activity.pk).contacts.all()) != [theirs]


def test_a_tags_owner_is_fixed_once_it_exists(admin_client, recruiter, teammate):
    tag = TagFactory(owner=recruiter, name="mine")

    admin_client.post(
        f"/admin/contacts/tag/{tag.pk}/change/", {"name": "mine", "owner": teammate.pk}
    )

    assert Tag.objects.get(pk=tag.pk).owner == recruiter
