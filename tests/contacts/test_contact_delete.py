from contacts.models import Activity, Contact
from tests.factories import ActivityFactory, ContactFactory


def url(contact) -> str:
    return f"/contacts/{contact.pk}/delete/"


def test_get_asks_for_confirmation_and_deletes_nothing(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")
    ActivityFactory(owner=recruiter, contacts=[contact])
    response = as_recruiter.get(url(contact))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delete contact “Olivia Bennett”?" in html
    assert "1 logged activity stay" in html
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_post_deletes_and_keeps_the_networking_log(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, first_name="Olivia")
    activity = ActivityFactory(owner=recruiter, contacts=[contact])
    response = as_recruiter.post(url(contact))
    # The confirmation names no one: flash messages outlive the row they speak of.
    assert "Olivia" not in str(list(as_recruiter.get("/contacts/").context["messages"]))
    assert response.status_code == 302
    assert response.url == "/contacts/"
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Activity.objects.get(pk=activity.pk).contacts.count() == 0


def test_another_recruiter_gets_404_and_deletes_nothing(as_outsider, recruiter):
    contact = ContactFactory(owner=recruiter)
    assert as_outsider.post(url(contact)).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_the_team_manager_gets_403_and_deletes_nothing(as_manager, recruiter):
    contact = ContactFactory(owner=recruiter)
    assert as_manager.post(url(contact)).status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()
