"""GET /contacts/export.csv: a recruiter's own contacts as a spreadsheet, filtered as
the contact list is, streamed in chunks, every cell safe from formula injection,
audited without personal data."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import Basis
from contacts.models import Channel, Kind
from imports import parsers
from netlog.csvsafe import read_cell
from privacy.models import Action, AuditEvent
from takeout import exports
from tests.conftest import client_for
from tests.factories import ContactFactory, TagFactory
from tests.netlog.spreadsheet import would_run

URL = reverse("takeout:contacts_csv")
BOM = b"\xef\xbb\xbf"
HEADER = [
    "First name",
    "Last name",
    "Relationship",
    "How you met",
    "Organisation",
    "Job title",
    "Email",
    "Phone",
    "Profile URL",
    "Tags",
    "Lawful basis",
    "Added on",
]


def _body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def _rows(response) -> list[list[str]]:
    """The data rows (the header checked and dropped)."""
    body = _body(response)
    assert body.startswith(BOM)
    rows = list(csv.reader(io.StringIO(body[len(BOM) :].decode("utf-8"), newline="")))
    assert rows[0] == HEADER
    return rows[1:]


def _names(response) -> list[str]:
    return [f"{row[0]} {row[1]}".strip() for row in _rows(response)]


def test_it_exports_every_column_of_the_recruiters_contact(as_recruiter, recruiter):
    added = timezone.make_aware(datetime.datetime(2025, 3, 9, 23, 30))  # London time
    jo = ContactFactory(
        owner=recruiter,
        first_name="Zoë",
        last_name="Brontë-Smith",
        kind=Kind.HIRING_MANAGER,
        source_channel=Channel.EVENT,
        organisation="Northwind Ltd",
        role="Head of Data",
        email="zoe@northwind.example",
        phone="020 7946 0958",
        profile_url="https://www.linkedin.com/in/zoe-example",
        lawful_basis=Basis.LEGITIMATE_INTERESTS,
        created_at=added,
    )
    jo.tags.set(
        [TagFactory(owner=recruiter, name="london"), TagFactory(owner=recruiter, name="data")]
    )

    rows = _rows(as_recruiter.get(URL))

    assert rows == [
        [
            "Zoë",
            "Brontë-Smith",
            "Hiring manager",
            "Event",
            "Northwind Ltd",
            "Head of Data",
            "zoe@northwind.example",
            "020 7946 0958",
            "https://www.linkedin.com/in/zoe-example",
            "data; london",
            "Legitimate interests",
            "2025-03-09",
        ]
    ]


def test_it_leaves_a_missing_lawful_basis_empty(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, lawful_basis="")

    assert _rows(as_recruiter.get(URL))[0][10] == ""


def test_it_is_a_streamed_utf8_attachment_with_a_bom_and_not_for_caches(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Zoë")

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="netlog-contacts-{today:%Y-%m-%d}.csv"'
    )
    assert response["Cache-Control"] == "no-store"
    body = _body(response)
    assert body.startswith(BOM + b"First name,")
    assert "Zoë".encode() in body


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://x.example","Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        " =1+1",
        "\n=1+1",
        "\u200b=1+1",
        "＝1+1",
        "Acme;=1+1",
        '=1+2";=1+2',
        "x,=1+1",
    ],
)
def test_it_makes_formulas_inert_in_every_cell(as_recruiter, recruiter, payload):
    contact = ContactFactory(
        owner=recruiter,
        first_name=payload,
        last_name=payload,
        organisation=payload,
        role=payload,
        email=payload,
        phone=payload[:30],
        profile_url=payload,
        notes=payload + " in the notes",
    )
    contact.tags.set([TagFactory(owner=recruiter, name=payload)])

    (row,) = _rows(as_recruiter.get(URL))
    body = _body(as_recruiter.get(URL)).decode("utf-8")

    assert not any(would_run(cell) for cell in row), row
    texts = [read_cell(row[n]) for n in [0, 1, 4, 5, 6, 7, 8, 9]]
    assert texts == [payload] * 5 + [payload[:30]] + [payload] * 2
    assert "in the notes" not in body  # notes are not exported at all


def test_the_importer_reads_every_neutralised_cell_back_as_it_was(as_recruiter, recruiter):
    people = [
        ("=1+1", "Acme;=1+1", '=1+2";=1+2', "'=already quoted"),
        ("＝1", "Smith; -5% ; @x", "x\t+1", "''+2"),
    ]
    for first, last, organisation, role in people:
        ContactFactory(
            owner=recruiter, first_name=first, last_name=last, organisation=organisation, role=role
        )
    text = parsers.decode(_body(as_recruiter.get(URL)))

    rows = parsers.any_csv(text, parsers.guess_mapping(parsers.headers(text)))

    assert [(r.first_name, r.last_name, r.organisation, r.role) for r in rows] == [
        (first, last, " ".join(organisation.split()), role)
        for first, last, organisation, role in people
    ]


def test_a_phone_number_with_a_plus_is_kept_as_text(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, phone="+44 20 7946 0958")

    assert _rows(as_recruiter.get(URL))[0][7] == "'+44 20 7946 0958"


def test_it_honours_the_contact_lists_filters_and_sort(as_recruiter, recruiter):
    data = TagFactory(owner=recruiter, name="data")
    ann = ContactFactory(owner=recruiter, first_name="Ann", last_name="Zed", organisation="Acme")
    ann.tags.set([data])
    bea = ContactFactory(owner=recruiter, first_name="Bea", last_name="Young", organisation="Acme")
    bea.tags.set([data])
    ContactFactory(owner=recruiter, first_name="Cal", last_name="Xu", organisation="Acme")
    ContactFactory(
        owner=recruiter, first_name="Dee", last_name="West", kind=Kind.CLIENT, organisation="Globex"
    )

    assert _names(as_recruiter.get(URL, {"tag": "data"})) == ["Bea Young", "Ann Zed"]
    assert _names(as_recruiter.get(URL, {"q": "acme", "sort": "newest"})) == [
        "Cal Xu",
        "Bea Young",
        "Ann Zed",
    ]
    assert _names(as_recruiter.get(URL, {"kind": Kind.CLIENT})) == ["Dee West"]


def test_it_exports_every_page_whatever_cursor_the_list_was_on(as_recruiter, recruiter, settings):
    settings.NETLOG_PAGE_SIZE = 2
    for name in ["Ann", "Bea", "Cal", "Dee", "Eve"]:
        ContactFactory(owner=recruiter, first_name=name, last_name="Jones")
    after = max(c.pk for c in recruiter.contacts.all())

    assert len(_rows(as_recruiter.get(URL, {"after": after}))) == 5


def test_it_includes_the_recruiters_personal_contacts(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Friend", last_name="A", kind=Kind.PERSONAL)
    ContactFactory(owner=recruiter, first_name="Client", last_name="B", kind=Kind.CLIENT)

    assert _names(as_recruiter.get(URL)) == ["Friend A", "Client B"]
    assert _rows(as_recruiter.get(URL))[0][2] == "Personal / social"


def test_it_never_exports_another_recruiters_contacts(as_recruiter, recruiter, teammate, outsider):
    ContactFactory(owner=recruiter, first_name="Mine", last_name="A")
    ContactFactory(owner=teammate, first_name="Teammates", last_name="B")
    ContactFactory(owner=outsider, first_name="Outsiders", last_name="C")

    assert _names(as_recruiter.get(URL)) == ["Mine A"]
    # A recruiter has no owner filter: asking for a teammate's changes nothing.
    assert _names(as_recruiter.get(URL, {"owner": teammate.pk})) == ["Mine A"]


@pytest.mark.parametrize("who", ["manager", "dpo", "assessor"])
def test_only_recruiters_export(request, recruiter, who):
    ContactFactory(owner=recruiter)
    response = client_for(request.getfixturevalue(who)).get(URL)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORTED).exists()


def test_it_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_rejects_post(as_recruiter):
    assert as_recruiter.post(URL).status_code == 405


def test_it_audits_the_export_without_personal_data(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")

    _body(as_recruiter.get(URL, {"q": "olivia"}))

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.detail) == (recruiter, Action.EXPORTED, "contacts CSV")
    assert "olivia" not in f"{event.object_type} {event.detail}".lower()


def _network(owner, size: int) -> None:
    tags = [TagFactory(owner=owner, name=f"tag {n}") for n in range(3)]
    for n in range(size):
        contact = ContactFactory(owner=owner, first_name=f"Person {n:02}", last_name="Jones")
        contact.tags.set(tags[: n % 4])


# Session, user, audit entry, the contacts, their tags.
QUERIES = 5


@pytest.mark.parametrize("size", [2, 30])
def test_its_queries_do_not_grow_with_the_rows(
    as_recruiter, recruiter, django_assert_num_queries, size
):
    _network(recruiter, size)

    with django_assert_num_queries(QUERIES):
        rows = _rows(as_recruiter.get(URL))

    assert len(rows) == size


def test_it_reads_the_contacts_in_chunks(
    as_recruiter, recruiter, django_assert_num_queries, monkeypatch
):
    """One query for the contacts, read a chunk at a time, and one for the tags of each
    chunk: memory stays flat however large the network."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    _network(recruiter, 5)

    with django_assert_num_queries(QUERIES + 2):  # three chunks: two more tag queries
        rows = _rows(as_recruiter.get(URL))

    assert [row[9] for row in rows] == ["", "tag 0", "tag 0; tag 1", "tag 0; tag 1; tag 2", ""]


def test_the_contact_list_links_to_the_export_with_its_filters(as_recruiter, recruiter):
    ContactFactory(owner=recruiter)

    html = as_recruiter.get(reverse("contacts:contact_list"), {"q": "acme", "after": 3}).content

    assert f'href="{URL}?q=acme"'.encode() in html
    assert b"Export CSV" in html


def test_the_contact_list_offers_no_export_to_a_manager(as_manager, recruiter):
    ContactFactory(owner=recruiter)

    html = as_manager.get(reverse("contacts:contact_list")).content

    assert URL.encode() not in html
