import datetime

import factory
from django.utils import timezone

from accounts.models import Role, Team, User
from contacts.models import (
    Activity,
    ActivityType,
    Channel,
    Contact,
    Direction,
    Kind,
    Outcome,
    OutcomeKind,
    Tag,
)

PASSWORD = "pw-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.RECRUITER
    password = factory.django.Password(PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    manager = factory.SubFactory(UserFactory, role=Role.MANAGER)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"tag{n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    owner = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    kind = Kind.CANDIDATE
    source_channel = Channel.LINKEDIN
    organisation = factory.Faker("company", locale="en_GB")
    role = factory.Faker("job", locale="en_GB")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    type = ActivityType.CALL
    summary = factory.Faker("sentence")
    direction = Direction.MUTUAL

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        """ActivityFactory(contacts=[c1, c2]); by default one new contact of the owner."""
        if not create:
            return
        obj.contacts.set(extracted if extracted is not None else [ContactFactory(owner=obj.owner)])


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    kind = OutcomeKind.PLACEMENT
    date = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.contacts.set(extracted)
