"""The filter bar above the contact and activity lists (templates/contacts/_filter.html):
labels tied to their inputs, help text and errors announced, the chosen values kept."""

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import client_for
from tests.factories import ContactFactory, TagFactory

CONTACTS, ACTIVITIES = "/contacts/", "/activities/"


class FilterBar(HTMLParser):
    """The bar's form: its elements by id, the labels' targets, each select's options."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.labels: dict[str, str] = {}  # for= id -> label text
        self.options: dict[str, list[tuple[str, str, bool]]] = {}  # select id -> options
        self._select = self._label = self._option = None
        self.feed(re.search(r'<form method="get".*?</form>', html, re.S).group(0))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = {"tag": tag, **dict(attrs)}
        if "id" in attrs:
            self.by_id[attrs["id"]] = attrs
        if tag == "select":
            self._select = attrs["id"]
            self.options[self._select] = []
        elif tag == "option" and self._select:
            self._option = [attrs["value"], "", "selected" in attrs]
        elif tag == "label":
            self._label = attrs["for"]
            self.labels[self._label] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option:
            self.options[self._select].append(tuple(self._option))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "label":
            self._label = None

    def handle_data(self, data: str) -> None:
        if self._option:
            self._option[1] += data
        elif self._label:
            self.labels[self._label] += data.strip()

    def selected(self, select_id: str) -> list[str]:
        return [value for value, _, chosen in self.options[select_id] if chosen]


def bar(client, url: str, params: dict | None = None) -> FilterBar:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return FilterBar(response.content.decode())


@pytest.mark.parametrize(
    ("url", "labels"),
    [
        (
            CONTACTS,
            {
                "q": "Search",
                "kind": "Relationship",
                "source_channel": "How you met",
                "basis": "Lawful basis",
                "tag": "Tag",
                "owner": "Recruiter",
                "sort": "Sort by",
            },
        ),
        (
            ACTIVITIES,
            {
                "q": "Search",
                "type": "Type",
                "direction": "Value",
                "date_from": "From",
                "date_to": "To",
                "follow_up": "Follow-up",
                "owner": "Recruiter",
            },
        ),
    ],
)
def test_every_field_has_a_label_tied_to_its_input(dpo, url, labels):
    form = bar(client_for(dpo), url)
    assert form.labels == {f"id_{name}": label for name, label in labels.items()}
    for name in labels:
        element = form.by_id[f"id_{name}"]
        assert element["name"] == name
        kind = "form-select" if element["tag"] == "select" else "form-control"
        assert kind in element["class"].split()


def test_it_keeps_the_chosen_contact_filters(dpo, recruiter):
    form = bar(
        client_for(dpo),
        CONTACTS,
        {
            "q": "smith & sons",
            "kind": "client",
            "source_channel": "event",
            "basis": "expired",
            "tag": "key account",
            "owner": recruiter.pk,
            "sort": "newest",
        },
    )
    assert form.by_id["id_q"]["value"] == "smith & sons"
    assert form.by_id["id_tag"]["value"] == "key account"
    assert form.selected("id_kind") == ["client"]
    assert form.selected("id_source_channel") == ["event"]
    assert form.selected("id_basis") == ["expired"]
    assert form.selected("id_owner") == [str(recruiter.pk)]
    assert form.selected("id_sort") == ["newest"]


def test_it_starts_with_nothing_chosen(as_recruiter):
    form = bar(as_recruiter, CONTACTS)
    assert "value" not in form.by_id["id_q"]
    assert form.options["id_kind"][0] == ("", "Any relationship", True)
    assert form.selected("id_sort") == []  # the browser shows the first: by name
    assert "id_owner" not in form.by_id  # a recruiter sees only their own


def test_it_lists_the_recruiters_a_manager_may_choose(as_manager, recruiter, teammate, outsider):
    form = bar(as_manager, CONTACTS, {"owner": teammate.pk})
    options = {value: label for value, label, _ in form.options["id_owner"]}
    assert options == {
        "": "Any recruiter",
        str(recruiter.pk): str(recruiter),
        str(teammate.pk): str(teammate),
    }
    assert form.selected("id_owner") == [str(teammate.pk)]


def test_it_keeps_the_chosen_activity_filters(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter)
    form = bar(
        as_recruiter,
        ACTIVITIES,
        {"type": "call", "date_from": "2026-01-02", "follow_up": "overdue", "contact": contact.pk},
    )
    assert form.selected("id_type") == ["call"]
    assert form.selected("id_direction") == [""]
    assert form.by_id["id_date_from"] == {
        "tag": "input",
        "type": "date",
        "name": "date_from",
        "value": "2026-01-02",
        "class": "dateinput form-control",
        "id": "id_date_from",
    }
    assert "value" not in form.by_id["id_date_to"]
    assert form.selected("id_follow_up") == ["overdue"]
    assert form.by_id["id_contact"]["type"] == "hidden"
    assert form.by_id["id_contact"]["value"] == str(contact.pk)


def test_the_search_box_is_described_by_its_help_text(as_recruiter):
    form = bar(as_recruiter, CONTACTS)
    assert form.by_id["id_q"]["aria-describedby"] == "id_q_helptext"
    assert form.by_id["id_q_helptext"]["class"] == "form-text"


def test_an_invalid_choice_is_marked_and_explained(as_recruiter):
    response = as_recruiter.get(CONTACTS, {"basis": "bogus", "q": "ann"})
    form = FilterBar(response.content.decode())
    select = form.by_id["id_basis"]
    assert "is-invalid" in select["class"].split()
    assert select["aria-invalid"] == "true"
    assert select["aria-describedby"] == "id_basis_error"
    assert form.by_id["id_basis_error"]["class"] == "invalid-feedback"
    assert "Select a valid choice. bogus is not one of the available choices." in (
        response.content.decode()
    )
    assert "aria-invalid" not in form.by_id["id_q"]  # the other fields are fine


def test_the_tag_box_suggests_the_users_tags(as_recruiter, recruiter):
    TagFactory(owner=recruiter, name="fintech")
    response = as_recruiter.get(CONTACTS)
    form = FilterBar(response.content.decode())
    assert form.by_id["id_tag"]["list"] == "tag-suggestions"
    assert form.by_id["id_tag"]["autocomplete"] == "off"
    assert form.by_id["tag-suggestions"]["tag"] == "datalist"
    assert '<option value="fintech">' in response.content.decode()


def test_values_are_escaped(as_recruiter):
    response = as_recruiter.get(CONTACTS, {"q": '"><script>x</script>'})
    assert "<script>x</script>" not in response.content.decode()
    assert FilterBar(response.content.decode()).by_id["id_q"]["value"] == '"><script>x</script>'
