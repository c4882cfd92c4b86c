"""Take your network out and bring it back: a vCard or CSV exported by netlog imports
again with every field as it was, through the real upload, preview and commit."""

import pytest
from django.urls import reverse

from contacts.models import Channel, Contact, Kind
from imports import services
from imports.models import Batch, Source, Status
from tests.conftest import client_for
from tests.factories import ContactFactory, UserFactory

FIELDS = ["first_name", "last_name", "email", "phone", "profile_url", "organisation", "role"]
PEOPLE = [
    dict(
        first_name="Zoë",
        last_name="O'Brien-Łukasz",
        email="zoe.obrien@example.co.uk",
        phone="+44 20 7946 0958",
        profile_url="https://www.linkedin.com/in/zoe-obrien?trk=a,b;c",
        organisation='Smith, Jones; "Partners" \\ Co',
        role='=HYPERLINK("http://evil.example")',
    ),
    dict(
        first_name="山田",
        last_name="",
        email="",
        phone="-44 7700 900461",
        profile_url="",
        organisation="",
        role="Head of Data, EMEA",
    ),
    dict(
        first_name="Sam",
        last_name="Patel",
        email="sam@example.com",
        phone="",
        profile_url="https://linkedin.com/in/sam",
        organisation="A very long organisation name that goes on well past seventy-five octets",
        role="@mention lead",
    ),
]


@pytest.mark.parametrize(
    ("export", "source", "file_name"),
    [
        ("takeout:contacts_vcard", Source.VCARD, "contacts.vcf"),
        ("takeout:contacts_csv", Source.CSV, "contacts.csv"),
    ],
)
def test_an_export_imports_again_unchanged(recruiter, export, source, file_name):
    for person in PEOPLE:
        ContactFactory(owner=recruiter, **person)
    data = b"".join(client_for(recruiter).get(reverse(export)).streaming_content)
    newcomer = UserFactory(username="newcomer")

    batch = services.upload(
        owner=newcomer,
        source=source,
        kind=Kind.CLIENT,
        channel=Channel.OTHER,
        file_name=file_name,
        data=data,
    )
    if source == Source.CSV:
        assert batch.status == Status.MAPPING
        services.map_columns(batch=batch, mapping=batch.mapping)
    services.preview(batch_id=batch.pk)
    batch = Batch.objects.get(pk=batch.pk)
    assert batch.status == Status.READY, batch.problems
    assert services.commit_request(batch=batch)
    services.commit(batch_id=batch.pk)

    def fields(owner):
        return sorted(
            tuple(c[f] for f in FIELDS) for c in Contact.objects.filter(owner=owner).values(*FIELDS)
        )

    assert fields(newcomer) == fields(recruiter)
