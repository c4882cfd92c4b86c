"""manage.py generate_network (bench.generate): a tiny network on SQLite, and once
through COPY on PostgreSQL."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import Lower

import bench.generate
from accounts.models import Role, Team, User
from bench.generate import PREFIX
from consent.models import ConsentRecord, LawfulBasisRecord, NoticeDelivery
from consent.services import consent_state_rebuild
from contacts.models import Activity, Contact, Outcome, Tag
from privacy.guard import find_sensitive
from privacy.models import Action, AuditEvent
from reviews.models import Cadence, Reflection, Review
from tests.factories import ContactFactory, UserFactory

TINY = ["--recruiters", "3", "--contacts", "60", "--activities", "300", "--today", "2026-06-15"]
OWNED = (Contact, Activity, Tag, Review, Outcome, Reflection, Cadence)
HISTORY = (LawfulBasisRecord, ConsentRecord, NoticeDelivery)
LINKS = (
    Contact.tags.through,
    Activity.contacts.through,
    Outcome.contacts.through,
    Outcome.activities.through,
    Reflection.contacts.through,
    Reflection.activities.through,
    Reflection.reviews.through,
)


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_network", *TINY, "--yes-this-is-not-production", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def network(db) -> None:
    generate()


def bench_users():
    return User.objects.filter(username__startswith=PREFIX)


def digest() -> str:
    """Every generated row, with the generated rows' ids replaced by their position:
    ids move on after --replace, the data must not."""
    users = bench_users()
    positions = {}
    for model in OWNED:
        ids = model.objects.filter(owner__in=users).order_by("pk").values_list("pk", flat=True)
        positions[f"{model._meta.model_name}_id"] = {pk: n for n, pk in enumerate(ids)}
    found = hashlib.sha256()

    def feed(queryset, fields: list[str], order: list[str]) -> None:
        for row in queryset.order_by(*order).values_list(*fields):
            row = [
                positions[f].get(v, v) if f in positions else v
                for f, v in zip(fields, row, strict=True)
            ]
            found.update(repr(row).encode())

    def columns(model, leave_out: set[str]) -> list[str]:
        return [f.attname for f in model._meta.concrete_fields if f.name not in leave_out]

    feed(users, ["username", "first_name", "last_name", "role", "team__name"], ["username"])
    for model in OWNED:
        fields = ["owner__username", *columns(model, {"id", "owner"})]
        feed(model.objects.filter(owner__in=users), fields, ["pk"])
    for model in HISTORY:
        feed(
            model.objects.filter(contact__owner__in=users),
            columns(model, {"id", "recorded_by"}),
            ["pk"],
        )
    for through in LINKS:
        fields = columns(through, {"id"})
        owner = {f"{fields[0].removesuffix('_id')}__owner__in": users}
        feed(through.objects.filter(**owner), fields, fields)
    return found.hexdigest()


def test_it_writes_as_many_rows_as_asked(network):
    assert bench_users().filter(role=Role.RECRUITER).count() == 3
    assert bench_users().filter(role=Role.MANAGER).count() == 1
    assert Team.objects.filter(name="Bench team 1", manager__username=f"{PREFIX}m1").exists()
    assert User.objects.filter(username=f"{PREFIX}r01", team__name="Bench team 1").exists()
    assert Contact.objects.count() == 60
    assert Activity.objects.count() == 300
    sizes = Activity.objects.annotate(n=Count("contacts")).values_list("n", flat=True)
    assert set(sizes) <= {1, 2, 3}
    # Reflections seldom link a review: none at this size.
    for model in (*HISTORY, Tag, Review, Outcome, Reflection, Cadence, *LINKS[:-1]):
        assert model.objects.exists(), model


def test_generated_users_cannot_sign_in_without_a_password(network):
    assert not any(user.has_usable_password() for user in bench_users())


def test_every_activity_is_with_its_owners_contacts(network):
    links = Activity.contacts.through.objects.all()
    assert links.exclude(contact__owner=F("activity__owner")).count() == 0


def test_private_activities_are_marked_as_the_rule_says(network):
    private = set(Activity.objects.filter(private=True).values_list("pk", flat=True))
    assert private  # personal / social contacts have their activities too
    assert private == set(
        Activity.objects.filter(Activity.private_rule()).values_list("pk", flat=True)
    )


def test_emails_are_unique_per_owner_whatever_the_case(network):
    emails = Contact.objects.exclude(email="").annotate(lower=Lower("email"))
    pairs = list(emails.values_list("owner", "lower"))
    assert pairs
    assert len(pairs) == len(set(pairs))


def test_the_current_consent_state_is_what_the_history_gives(network):
    contacts = list(Contact.objects.all())
    assert sum(1 for c in contacts if c.lawful_basis) > len(contacts) / 2
    for contact in contacts:
        stored = (contact.lawful_basis, contact.consent_expires_on, contact.notice_delivered_on)
        with transaction.atomic():
            consent_state_rebuild(contact=contact)
        contact.refresh_from_db()
        rebuilt = (contact.lawful_basis, contact.consent_expires_on, contact.notice_delivered_on)
        assert stored == rebuilt, contact.pk


def test_the_free_text_passes_the_special_category_guard(network):
    texts = {}
    for n, row in enumerate(Activity.objects.values_list("context", "summary", "outcome")):
        texts.update({f"activity {n} {i}": text for i, text in enumerate(row)})
    texts.update(
        {f"notes {n}": t for n, t in enumerate(Contact.objects.values_list("notes", flat=True))}
    )
    for model, field in (
        (Review, "rationale"),
        (Review, "next_actions"),
        (Outcome, "notes"),
        (Reflection, "text"),
    ):
        texts.update(
            {f"{field} {n}": t for n, t in enumerate(model.objects.values_list(field, flat=True))}
        )
    assert find_sensitive(texts) == []


def test_the_same_seed_gives_the_same_network(network):
    first = digest()
    generate("--replace")
    assert digest() == first


def test_another_seed_gives_another_network(network):
    first = digest()
    generate("--replace", "--seed", "2")
    assert digest() != first


def test_replace_deletes_only_what_it_generated(network):
    other = UserFactory(username="someone")
    theirs = ContactFactory(owner=other, first_name="Kept")
    old = set(Contact.objects.filter(owner__in=bench_users()).values_list("pk", flat=True))
    # Trying the generated users out leaves rows that refer to them.
    AuditEvent.objects.create(actor=bench_users().first(), action=Action.VIEWED, object_type="x")
    generate("--replace")
    assert Contact.objects.filter(pk=theirs.pk, owner=other).exists()
    assert not Contact.objects.filter(pk__in=old).exists()
    assert Contact.objects.count() == 61
    assert not AuditEvent.objects.filter(actor__username__startswith=PREFIX).exists()


def test_it_refuses_to_run_again_without_replace(network):
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert Contact.objects.count() == 60


def test_it_refuses_without_debug_or_the_flag(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("generate_network", *TINY, stdout=io.StringIO())
    assert not bench_users().exists()


def test_it_runs_with_debug(db, settings):
    settings.DEBUG = True
    call_command("generate_network", *TINY, stdout=io.StringIO())
    assert Contact.objects.count() == 60


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_it_loads_through_copy_on_postgresql(db, monkeypatch):
    """Every table through COPY, with its indexes and keys taken off and put back (the
    agency-scale path), and replaced with the keys to contacts and activities off."""
    monkeypatch.setattr(bench.generate, "DEFER_INDEXES_FROM", 1)

    def schema() -> set[tuple]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'")
            indexes = set(cursor.fetchall())
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), "
                "convalidated FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
            )
            return indexes | set(cursor.fetchall())

    before = schema()
    out = generate()
    assert "indexes and keys back" in out
    assert Contact.objects.count() == 60
    assert Activity.objects.count() == 300
    assert (
        Activity.contacts.through.objects.exclude(contact__owner=F("activity__owner")).count() == 0
    )
    assert schema() == before
    first = digest()
    generate("--replace")
    assert digest() == first
    assert schema() == before
    # The sequences moved past the ids the generator chose.
    later = ContactFactory(owner=bench_users().first())
    assert later.pk > Contact.objects.exclude(pk=later.pk).order_by("-pk").first().pk


def test_password_gives_every_generated_user_that_password(db):
    generate("--password", "try-it-out")
    assert all(user.check_password("try-it-out") for user in bench_users())


def test_it_refuses_activities_without_contacts(db):
    with pytest.raises(CommandError, match="contact"):
        generate("--contacts", "0")
    assert not bench_users().exists()
