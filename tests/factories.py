import datetime

import factory
from django.utils import timezone

from accounts.models import Role, Team, User
from consent.deadlines import response_due
from consent.models import BankHoliday, Disclosed, Disclosure
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
from privacy.models import DataRequest, IdentityMethod, ReceivedHow, RequestKind, Status
from reviews.models import Decision, Review

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


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review of a contact by its owner, today, keeping the relationship as it is."""

    class Meta:
        model = Review

    contact = factory.SubFactory(ContactFactory)
    owner = factory.SelfAttribute("contact.owner")
    reviewed_on = factory.LazyFunction(timezone.localdate)
    value = 3
    activity = 3
    potential = 3
    rationale = "Useful."
    decision = Decision.MAINTAIN


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disclosure

    contact = factory.SubFactory(ContactFactory)
    recipient = factory.Faker("company", locale="en_GB")
    what = Disclosed.CV
    recorded_by = factory.LazyAttribute(lambda d: d.contact.owner)


class DataRequestFactory(factory.django.DjangoModelFactory):
    """A request as received; pass contacts=[...] to link the person's records."""

    class Meta:
        model = DataRequest
        skip_postgeneration_save = True

    kind = RequestKind.ERASURE
    requester_name = factory.Faker("name", locale="en_GB")
    requester_email = factory.Sequence(lambda n: f"requester{n}@example.com")
    received_on = factory.LazyFunction(timezone.localdate)
    received_how = ReceivedHow.EMAIL
    received_by = factory.SubFactory(UserFactory, role=Role.DPO)
    due_on = factory.LazyAttribute(
        lambda r: response_due(r.received_on, BankHoliday.objects.date_set())
    )

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.contacts.set(extracted)


def approved(request: DataRequest, *, keep_until=None) -> DataRequest:
    """`request` with its identity checked and approved, as the DPO would leave it."""
    request.identity_method = IdentityMethod.KNOWN_EMAIL
    request.identity_checked_on = request.received_on
    request.status = Status.APPROVED
    request.decided_on = timezone.localdate()
    request.keep_until = keep_until
    request.save()
    return request


def witnessed(activity: Activity, contact: Contact, *, witness_name: str, text: str):
    """A testimony by `contact` about `activity`, as if they had followed the link the
    recruiter sent them: returns (the request, the testimony)."""
    from reviews.services import _testimony_create, testimony_request_create

    request, _ = testimony_request_create(
        contact=contact, by=activity.owner, activities=[activity], message="Would you?"
    )
    testimony = _testimony_create(
        owner=activity.owner,
        request=request,
        witness_name=witness_name,
        witness_role="Head of Data",
        relationship="client",
        text=text,
        activity_ids=[activity.pk],
    )
    return request, testimony
