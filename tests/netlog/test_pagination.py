import datetime

import pytest

from contacts.models import Contact
from netlog.pagination import keyset_page
from tests.factories import ContactFactory, UserFactory


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def contacts(owner):
    # Duplicate surnames make the tie-breakers (first name, then id) matter.
    names = [("Ann", "Smith"), ("Bob", "Smith"), ("Bob", "Smith"), ("Cy", "Adams"), ("Di", "Zed")]
    names += [(f"P{i:02d}", "Jones") for i in range(12)]
    return [ContactFactory(owner=owner, first_name=first, last_name=last) for first, last in names]


def walk_forward(queryset, ordering, per_page, narrowed=False):
    seen, after = [], None
    for _ in range(100):
        page = keyset_page(
            queryset, ordering=ordering, after=after, per_page=per_page, narrowed=narrowed
        )
        seen.extend(page.object_list)
        if not page.has_next:
            return seen
        after = str(page.next_after)
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize(
    "ordering",
    [["last_name", "first_name", "id"], ["-created_at", "-id"], ["organisation", "id"]],
)
@pytest.mark.parametrize("per_page", [1, 4, 5, 17, 50])
def test_walking_forward_visits_every_row_once_in_order(contacts, ordering, per_page):
    queryset = Contact.objects.all()
    seen = walk_forward(queryset, ordering, per_page)
    assert [c.pk for c in seen] == list(queryset.order_by(*ordering).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "ordering",
    [["last_name", "first_name", "id"], ["-created_at", "-id"], ["organisation", "id"]],
)
@pytest.mark.parametrize("per_page", [1, 2, 5, 50])
def test_a_narrowed_list_is_sorted_instead_but_pages_the_same(contacts, ordering, per_page):
    # A search's matches are sorted rather than found along the sort index: the same
    # rows in the same order, page boundaries included.
    matches = Contact.objects.filter(last_name__in=["Smith", "Jones", "Zed"])
    seen = walk_forward(matches, ordering, per_page, narrowed=True)
    assert [c.pk for c in seen] == list(matches.order_by(*ordering).values_list("pk", flat=True))
    assert len(seen) == 16


def test_a_narrowed_list_walks_back_to_the_same_pages(contacts):
    matches = Contact.objects.filter(last_name__in=["Smith", "Jones"])
    ordering = ["last_name", "first_name", "id"]

    def page(**cursor):
        return keyset_page(matches, ordering=ordering, per_page=4, narrowed=True, **cursor)

    first = page()
    second = page(after=str(first.next_after))
    third = page(after=str(second.next_after))
    assert page(before=str(third.previous_before)).object_list == second.object_list
    assert page(before=str(second.previous_before)).object_list == first.object_list


def test_walking_back_returns_the_same_pages(contacts):
    queryset = Contact.objects.all()
    ordering = ["last_name", "first_name", "id"]
    first = keyset_page(queryset, ordering=ordering, per_page=5)
    second = keyset_page(queryset, ordering=ordering, after=str(first.next_after), per_page=5)
    third = keyset_page(queryset, ordering=ordering, after=str(second.next_after), per_page=5)
    back = keyset_page(queryset, ordering=ordering, before=str(third.previous_before), per_page=5)
    assert back.object_list == second.object_list
    assert back.has_previous and back.has_next


def test_going_back_past_the_start_shows_a_full_first_page(contacts):
    queryset = Contact.objects.all()
    ordering = ["last_name", "first_name", "id"]
    first = keyset_page(queryset, ordering=ordering, per_page=5)
    # From the second row, "previous" has only one row before it: show page one whole.
    page = keyset_page(queryset, ordering=ordering, before=str(first.object_list[1].pk), per_page=5)
    assert page.object_list == first.object_list
    assert not page.has_previous


def test_the_first_page_has_no_previous_and_the_last_no_next(contacts):
    queryset = Contact.objects.all()
    first = keyset_page(queryset, ordering=["-created_at", "-id"], per_page=len(contacts))
    assert not first.has_previous
    assert not first.has_next
    assert len(first) == len(contacts)


@pytest.mark.parametrize("cursor", ["abc", "-1", "999999999", ""])
def test_a_bad_or_unknown_cursor_gives_the_first_page(contacts, cursor):
    queryset = Contact.objects.all()
    ordering = ["last_name", "first_name", "id"]
    page = keyset_page(queryset, ordering=ordering, after=cursor, per_page=3)
    assert page.object_list == list(queryset.order_by(*ordering)[:3])


def test_a_cursor_outside_the_scoped_queryset_is_ignored(contacts):
    stranger = ContactFactory(last_name="Aardvark")
    mine = Contact.objects.exclude(pk=stranger.pk)
    page = keyset_page(
        mine, ordering=["last_name", "first_name", "id"], after=str(stranger.pk), per_page=3
    )
    assert page.object_list == list(mine.order_by("last_name", "first_name", "id")[:3])


def test_ties_on_every_sort_column_are_broken_by_id(owner):
    created = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    same = [ContactFactory(owner=owner, created_at=created) for _ in range(7)]
    seen = walk_forward(Contact.objects.all(), ["-created_at", "-id"], 2)
    assert [c.pk for c in seen] == sorted((c.pk for c in same), reverse=True)
