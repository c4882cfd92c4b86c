import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Role, User
from consent.models import ConsentRecord, PrivacyNotice
from contacts.models import Activity, Contact, Kind, Outcome


def test_it_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_it_builds_the_four_demo_accounts_and_a_network(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for username, role in [
        ("recruiter", Role.RECRUITER),
        ("manager", Role.MANAGER),
        ("dpo", Role.DPO),
        ("assessor", Role.ASSESSOR),
    ]:
        # Signing in goes through django-axes, which needs the request.
        sign_in = RequestFactory().post("/accounts/login/")
        user = authenticate(sign_in, username=username, password="netlog-demo")
        assert user is not None and user.role == role
    recruiter = User.objects.get(username="recruiter")
    assert recruiter.team.manager.username == "manager"
    contacts = Contact.objects.filter(owner=recruiter)
    assert contacts.professional().count() >= 12
    assert contacts.filter(kind=Kind.PERSONAL).exists()
    assert {c.kind for c in contacts} >= set(Kind.values)
    assert Activity.objects.filter(owner=recruiter).count() >= 15
    assert Activity.objects.filter(owner=recruiter).follow_ups_open().exists()
    assert Outcome.objects.filter(owner=recruiter, kind="placement").exists()


def test_running_it_twice_changes_nothing(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (
        User.objects.count(),
        Contact.objects.count(),
        Activity.objects.count(),
        Outcome.objects.count(),
    )
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Contact.objects.count(),
        Activity.objects.count(),
        Outcome.objects.count(),
    ) == counts


def test_it_leaves_the_demo_alone_once_built_even_when_emptied(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    Contact.objects.filter(owner__username="recruiter").delete()
    call_command("seed_demo")
    assert not Contact.objects.filter(owner__username="recruiter").exists()


def test_the_demo_shows_every_data_protection_state(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    today = timezone.localdate()
    states = {c.basis_state(today) for c in Contact.objects.filter(owner__username="recruiter")}
    assert states == {"valid", "expired", "none"}
    assert PrivacyNotice.objects.filter(version=1).exists()
    assert (
        ConsentRecord.objects.filter(
            contact__owner__username="recruiter", notice__version=1
        ).count()
        == 6
    )
