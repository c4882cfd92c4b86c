"""GET /contacts/export.vcf: a recruiter's own contacts as vCard 4.0 for an address
book, filtered as the contact list is, streamed, audited. What it writes must read
back exactly through vobject, as the importer will read it."""

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from privacy.models import Action, AuditEvent
from takeout import exports
from tests.conftest import client_for
from tests.factories import ContactFactory, TagFactory
from tests.takeout.lines import LINE_BREAKS, unfolded

URL = reverse("takeout:contacts_vcard")


def _body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def _cards(response) -> list:
    return list(vobject.readComponents(_body(response)))


def _read(card) -> dict:
    """What an importer takes from a card: empty strings for what is not there."""

    def text(name: str) -> str:
        return card.contents[name][0].value if name in card.contents else ""

    return {
        "first_name": card.n.value.given,
        "last_name": card.n.value.family,
        "name": card.fn.value,
        "organisation": card.org.value[0] if "org" in card.contents else "",
        "role": text("title"),
        "email": text("email"),
        "phone": text("tel"),
        "profile_url": text("url"),
        "tags": card.categories.value if "categories" in card.contents else [],
    }


def _fields(contact) -> dict:
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "name": contact.name,
        "organisation": contact.organisation,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
        "profile_url": contact.profile_url,
        "tags": [tag.name for tag in contact.tags.all()],
    }


@pytest.mark.parametrize(
    ("first_name", "last_name", "organisation", "role"),
    [
        ("Jo", "Bloggs", "Northwind Ltd", "Head of Data"),
        ("Zoë, Jr.", "O'Brien; Smith", "Smith, Jones; Partners", "VP, Sales; EMEA"),
        ("Élodie", "Müller-Lüdenscheidt", "Société Générale", "Directrice générale"),
        ("Łukasz", "Żółć \\ Back", "Ærø A/S", "Ingeniør"),
        ("Cher", "", "", ""),
    ],
)
def test_every_field_reads_back_exactly(
    as_recruiter, recruiter, first_name, last_name, organisation, role
):
    contact = ContactFactory(
        owner=recruiter,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        role=role,
        email="jo.bloggs@example.co.uk",
        phone="+44 (0)20 7946-0958",
        profile_url="https://www.linkedin.com/in/jo-bloggs?trk=a,b;c",
    )
    contact.tags.set(
        [
            TagFactory(owner=recruiter, name="fintech, london"),
            TagFactory(owner=recruiter, name="c;d"),
        ]
    )

    (card,) = _cards(as_recruiter.get(URL))

    assert card.version.value == "4.0"
    assert _read(card) == _fields(contact)


def test_an_empty_last_name_leaves_the_family_name_empty(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Cher", last_name="")

    (card,) = _cards(as_recruiter.get(URL))

    assert (card.n.value.given, card.n.value.family, card.fn.value) == ("Cher", "", "Cher")


def test_it_writes_no_empty_properties(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, organisation="", role="", email="", phone="", profile_url="")

    (card,) = _cards(as_recruiter.get(URL))

    assert set(card.contents) == {"version", "prodid", "fn", "n"}


def test_it_leaves_notes_out(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, notes="Notesmark: looking to leave after the merger.")

    body = _body(as_recruiter.get(URL))

    assert "Notesmark" not in body
    assert "NOTE" not in body


def test_a_line_break_in_a_field_cannot_add_properties_or_cards(as_recruiter, recruiter):
    ContactFactory(
        owner=recruiter,
        first_name="Jo\r\nEMAIL:evil@example.com\r\nEND:VCARD\r\nBEGIN:VCARD",
        organisation="Acme\nNOTE:injected",
        email="jo@example.com",
    )

    (card,) = _cards(as_recruiter.get(URL))

    assert [line.value for line in card.contents["email"]] == ["jo@example.com"]
    assert "note" not in card.contents
    assert card.n.value.given.startswith("Jo\nEMAIL:evil@example.com")


PROPERTIES = {"BEGIN", "VERSION", "PRODID", "FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "URL"}
PROPERTIES |= {"CATEGORIES", "END"}


@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=[repr(b) for b in LINE_BREAKS])
def test_no_kind_of_line_break_can_add_a_property_or_a_card(as_recruiter, recruiter, line_break):
    def injected(text: str) -> str:
        return text.replace("|", line_break)

    contact = ContactFactory(
        owner=recruiter,
        first_name=injected("Jo|URL:javascript:alert(1)"),
        last_name=injected("Bloggs|NOTE:injected"),
        organisation=injected("Acme|END:VCARD|BEGIN:VCARD|FN:Evil"),
        role=injected("Head of Data|EMAIL:evil@example.com"),
        email="jo@example.com",
        profile_url="",
    )
    contact.tags.set([TagFactory(owner=recruiter, name=injected("data|TEL:0"))])

    body = _body(as_recruiter.get(URL))
    (card,) = _cards(as_recruiter.get(URL))

    written = [
        "BEGIN",
        "VERSION",
        "PRODID",
        "FN",
        "N",
        "ORG",
        "TITLE",
        "EMAIL",
        "CATEGORIES",
        "END",
    ]
    assert [line.split(":")[0] for line in unfolded(body)] == written
    assert set(card.contents) == {name.lower() for name in written[1:-1]}
    assert [line.value for line in card.contents["email"]] == ["jo@example.com"]
    assert card.n.value.given == "Jo\nURL:javascript:alert(1)"
    assert card.org.value == ["Acme\nEND:VCARD\nBEGIN:VCARD\nFN:Evil"]


def test_control_characters_are_left_out_and_long_lines_folded_whole(as_recruiter, recruiter):
    ContactFactory(
        owner=recruiter,
        first_name="Jo\x01\x07\x1b[31m\x7f\x9b",
        last_name="Żółć😀" * 20,
        role="\t".join(["Head of Data"] * 8),
    )

    body = _body(as_recruiter.get(URL))
    (card,) = _cards(as_recruiter.get(URL))

    assert {line.split(":")[0] for line in unfolded(body)} <= PROPERTIES
    assert card.n.value.given == "Jo[31m"
    assert card.n.value.family == "Żółć😀" * 20  # folded, never inside a character
    assert card.title.value == "\t".join(["Head of Data"] * 8)


def test_it_writes_one_card_per_contact_in_the_lists_order(as_recruiter, recruiter):
    for first, last in [("Cal", "Cole"), ("Ann", "Adams"), ("Bea", "Brown")]:
        ContactFactory(owner=recruiter, first_name=first, last_name=last)

    cards = _cards(as_recruiter.get(URL))

    assert [card.fn.value for card in cards] == ["Ann Adams", "Bea Brown", "Cal Cole"]


def test_it_is_a_streamed_utf8_attachment_not_for_caches(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Zoë")

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="netlog-contacts-{today:%Y-%m-%d}.vcf"'
    )
    assert response["Cache-Control"] == "no-store"
    body = _body(response)
    assert body.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "Zoë" in body


def test_it_honours_the_contact_lists_filters(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Cand", last_name="A", kind=Kind.CANDIDATE)
    ContactFactory(owner=recruiter, first_name="Client", last_name="B", kind=Kind.CLIENT)
    tagged = ContactFactory(owner=recruiter, first_name="Tagged", last_name="C")
    tagged.tags.set([TagFactory(owner=recruiter, name="data")])

    assert [c.fn.value for c in _cards(as_recruiter.get(URL, {"kind": Kind.CLIENT}))] == [
        "Client B"
    ]
    assert [c.fn.value for c in _cards(as_recruiter.get(URL, {"tag": "data"}))] == ["Tagged C"]


def test_it_includes_the_recruiters_personal_contacts(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Friend", last_name="A", kind=Kind.PERSONAL)

    assert [c.fn.value for c in _cards(as_recruiter.get(URL))] == ["Friend A"]


def test_it_never_exports_another_recruiters_contacts(as_recruiter, recruiter, teammate, outsider):
    ContactFactory(owner=recruiter, first_name="Mine", last_name="A")
    ContactFactory(owner=teammate, first_name="Teammates", last_name="B")
    ContactFactory(owner=outsider, first_name="Outsiders", last_name="C")

    cards = _cards(as_recruiter.get(URL, {"owner": teammate.pk}))

    assert [c.fn.value for c in cards] == ["Mine A"]


@pytest.mark.parametrize("who", ["manager", "dpo", "assessor"])
def test_only_recruiters_export(request, recruiter, who):
    ContactFactory(owner=recruiter)
    response = client_for(request.getfixturevalue(who)).get(URL)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORTED).exists()


def test_it_rejects_post(as_recruiter):
    assert as_recruiter.post(URL).status_code == 405


def test_it_audits_the_export_without_personal_data(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")

    _body(as_recruiter.get(URL, {"q": "bennett"}))

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.detail) == (
        recruiter,
        Action.EXPORTED,
        "contacts vCard",
    )
    assert "bennett" not in f"{event.object_type} {event.detail}".lower()


def _network(owner, size: int) -> None:
    tags = [TagFactory(owner=owner, name=f"tag {n}") for n in range(3)]
    for n in range(size):
        contact = ContactFactory(owner=owner, first_name=f"Person {n:02}", last_name="Jones")
        contact.tags.set(tags[: n % 4])


# Session, user, audit entry, the contacts, their tags.
QUERIES = 5


@pytest.mark.parametrize("size", [2, 30])
def test_its_queries_do_not_grow_with_the_cards(
    as_recruiter, recruiter, django_assert_num_queries, size
):
    _network(recruiter, size)

    with django_assert_num_queries(QUERIES):
        cards = _cards(as_recruiter.get(URL))

    assert len(cards) == size


def test_it_reads_the_contacts_in_chunks(
    as_recruiter, recruiter, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    _network(recruiter, 5)

    with django_assert_num_queries(QUERIES + 2):  # three chunks: two more tag queries
        cards = _cards(as_recruiter.get(URL))

    assert [_read(card)["tags"] for card in cards] == [
        [],
        ["tag 0"],
        ["tag 0", "tag 1"],
        ["tag 0", "tag 1", "tag 2"],
        [],
    ]


def test_the_contact_list_links_to_the_export_with_its_filters(as_recruiter, recruiter):
    ContactFactory(owner=recruiter)

    html = as_recruiter.get(reverse("contacts:contact_list"), {"kind": "client", "tag": "x y"})

    assert f'href="{URL}?kind=client&amp;tag=x+y"'.encode() in html.content
    assert b"Export vCard" in html.content
