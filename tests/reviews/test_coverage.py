"""The coverage matrix: reviews.services.coverage (each criterion unmapped, evidenced
with its items by kind, or signed off, counting only what the learner linked), the
EvidenceLink and SignOff rows it reads, and GET /coverage/."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role
from contacts.models import Kind
from netlog.history import HistoryIsAppendOnly
from reviews.models import (
    Criterion,
    Decision,
    EvidenceLink,
    Reflection,
    Review,
    SignOff,
    Testimony,
    WitnessRelationship,
)
from reviews.services import coverage
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory, UserFactory

URL = reverse("reviews:coverage")
TODAY = datetime.date(2025, 6, 15)
# Queries of coverage(): the criteria, the sign-offs and the counts of every kind of item.
COVERAGE_QUERIES = 3
# The page adds the session and user, and the learners for a manager.
MAX_QUERIES = COVERAGE_QUERIES + 5


def _criterion(code: str) -> Criterion:
    return Criterion.objects.get(outcome__unit__code="NET", code=code)


def _review(owner) -> Review:
    contact = ContactFactory(owner=owner, kind=Kind.CLIENT)
    return Review.objects.create(
        owner=owner,
        contact=contact,
        reviewed_on=TODAY,
        value=3,
        activity=3,
        potential=3,
        rationale="Steady source of referrals.",
        decision=Decision.MAINTAIN,
    )


def _reflection(owner) -> Reflection:
    return Reflection.objects.create(
        owner=owner, title="After the meetup", written_on=TODAY, text="What worked."
    )


def _testimony(owner) -> Testimony:
    return Testimony.objects.create(
        owner=owner,
        witness_name="Wanda Whitlock",
        witness_role="Head of Talent",
        relationship=WitnessRelationship.CLIENT,
        text="Kept us informed throughout.",
        checksum="0" * 64,
    )


def make_item(kind: str, owner):
    """A new item of `kind` (one of EvidenceLink.ITEMS) belonging to `owner` (also used
    by test_evidence_edit)."""
    make = {
        "activity": lambda: ActivityFactory(owner=owner),
        "review": lambda: _review(owner),
        "reflection": lambda: _reflection(owner),
        "testimony": lambda: _testimony(owner),
        "outcome": lambda: OutcomeFactory(owner=owner),
    }
    return make[kind]()


def _by_kind(**counts: int) -> list[int]:
    """What CriterionCoverage.by_kind should be: the counts in the matrix's order."""
    return [counts.get(kind, 0) for kind in EvidenceLink.ITEMS]


def _link(owner, code: str, **item) -> EvidenceLink:
    return EvidenceLink.objects.create(owner=owner, criterion=_criterion(code), **item)


def _rows(learner) -> dict:
    """{criterion code: CriterionCoverage} for the default unit."""
    return {
        row.criterion.code: row
        for outcome, rows in coverage(learner)
        if outcome.unit.code == "NET"
        for row in rows
    }


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.fixture
def evidence(recruiter):
    """The recruiter's evidence: two activities and a review for 2.2, a reflection for
    3.2, an outcome for 4.1, a testimony for 4.2, and the review again for 3.1."""
    activities = [ActivityFactory(owner=recruiter) for _ in range(2)]
    review = _review(recruiter)
    for activity in activities:
        _link(recruiter, "2.2", activity=activity)
    _link(recruiter, "2.2", review=review)
    _link(recruiter, "3.1", review=review)
    _link(recruiter, "3.2", reflection=_reflection(recruiter))
    _link(recruiter, "4.1", outcome=OutcomeFactory(owner=recruiter))
    _link(recruiter, "4.2", testimony=_testimony(recruiter))
    return activities, review


# coverage(): states and counts


def test_it_shows_every_criterion_unmapped_before_anything_is_linked(recruiter):
    outcomes = coverage(recruiter)

    assert [(o.unit.code, o.number) for o, _ in outcomes] == [("NET", n) for n in (1, 2, 3, 4)]
    rows = [row for _, rows in outcomes for row in rows]
    assert len(rows) == 13
    assert {row.state for row in rows} == {"unmapped"}
    assert {row.total for row in rows} == {0}


def test_it_lists_the_criteria_of_each_outcome_in_order(recruiter):
    outcomes = coverage(recruiter)

    assert [[row.criterion.code for row in rows] for _, rows in outcomes] == [
        ["1.1", "1.2", "1.3"],
        ["2.1", "2.2", "2.3", "2.4"],
        ["3.1", "3.2", "3.3", "3.4"],
        ["4.1", "4.2"],
    ]


def test_it_counts_the_linked_items_by_kind(recruiter, evidence):
    rows = _rows(recruiter)

    assert rows["2.2"].counts == {"activity": 2, "review": 1}
    assert rows["2.2"].by_kind == _by_kind(activity=2, review=1)
    assert rows["2.2"].total == 3
    assert rows["3.1"].by_kind == _by_kind(review=1)
    assert rows["3.2"].by_kind == _by_kind(reflection=1)
    assert rows["4.1"].by_kind == _by_kind(outcome=1)
    assert rows["4.2"].by_kind == _by_kind(testimony=1)
    evidenced = {code for code, row in rows.items() if row.state == "evidenced"}
    assert evidenced == {"2.2", "3.1", "3.2", "4.1", "4.2"}
    assert rows["1.1"].state == "unmapped"
    assert rows["1.1"].by_kind == _by_kind()


@pytest.mark.parametrize("kind", EvidenceLink.ITEMS)
def test_it_puts_each_kinds_count_in_its_column(recruiter, kind):
    _link(recruiter, "1.2", **{kind: make_item(kind, recruiter)})

    by_kind = _rows(recruiter)["1.2"].by_kind

    assert by_kind[EvidenceLink.ITEMS.index(kind)] == 1
    assert sum(by_kind) == 1


def test_it_has_a_column_for_each_kind_of_evidence():
    assert set(EvidenceLink.ITEMS) == {"activity", "review", "reflection", "testimony", "outcome"}
    assert EvidenceLink.ITEMS[:3] == ["activity", "review", "reflection"]


def test_it_counts_only_what_the_learner_linked(recruiter, teammate, evidence):
    theirs = ActivityFactory(owner=teammate)
    _link(teammate, "2.2", activity=theirs)
    _link(teammate, "1.1", activity=theirs)
    _link(teammate, "1.1", reflection=_reflection(teammate))

    mine = _rows(recruiter)
    assert mine["2.2"].by_kind == _by_kind(activity=2, review=1)
    assert mine["1.1"].state == "unmapped"
    theirs_rows = _rows(teammate)
    assert theirs_rows["2.2"].by_kind == _by_kind(activity=1)
    assert theirs_rows["1.1"].by_kind == _by_kind(activity=1, reflection=1)
    assert theirs_rows["3.1"].state == "unmapped"


def test_it_counts_nothing_that_is_not_linked(recruiter):
    # Activities, reviews and reflections alone are not evidence until linked.
    ActivityFactory(owner=recruiter)
    _review(recruiter)
    _reflection(recruiter)
    OutcomeFactory(owner=recruiter)

    assert {row.state for row in _rows(recruiter).values()} == {"unmapped"}


def test_it_shows_a_signed_off_criterion(recruiter, assessor, evidence):
    SignOff.objects.create(
        learner=recruiter, criterion=_criterion("2.2"), assessor=assessor, comment="Meets it."
    )
    SignOff.objects.create(
        learner=recruiter, criterion=_criterion("1.1"), assessor=assessor, comment="Meets it."
    )

    rows = _rows(recruiter)

    assert rows["2.2"].state == "signed_off"
    assert rows["2.2"].by_kind == _by_kind(activity=2, review=1)  # the evidence still shows
    assert rows["1.1"].state == "signed_off"
    assert rows["3.1"].state == "evidenced"


def test_it_ignores_another_learners_sign_off(recruiter, teammate, assessor):
    SignOff.objects.create(
        learner=teammate, criterion=_criterion("1.1"), assessor=assessor, comment="Meets it."
    )

    assert _rows(recruiter)["1.1"].state == "unmapped"
    assert _rows(teammate)["1.1"].state == "signed_off"


def test_it_includes_the_criteria_of_every_unit_in_unit_order(recruiter, tmp_path):
    unit = {
        "code": "ABC",
        "title": "Another unit",
        "outcomes": [{"number": 1, "text": "First", "criteria": [{"code": "1.1", "text": "x"}]}],
    }
    path = tmp_path / "abc.json"
    path.write_text(json.dumps(unit), encoding="utf-8")
    call_command("load_unit", str(path), stdout=None)
    other = Criterion.objects.get(outcome__unit__code="ABC")
    _link(recruiter, "1.1", activity=ActivityFactory(owner=recruiter))

    outcomes = coverage(recruiter)

    assert [(o.unit.code, o.number) for o, _ in outcomes][:2] == [("ABC", 1), ("NET", 1)]
    assert outcomes[0][1][0].criterion == other
    assert outcomes[0][1][0].state == "unmapped"  # same code, another unit
    assert outcomes[1][1][0].state == "evidenced"


def _linked_a_lot(learner, size: int, assessor) -> None:
    codes = [c.code for c in Criterion.objects.all()]
    for n in range(size):
        code = codes[n % len(codes)]
        _link(learner, code, activity=ActivityFactory(owner=learner))
        _link(learner, code, reflection=_reflection(learner))
    SignOff.objects.create(
        learner=learner, criterion=_criterion("1.1"), assessor=assessor, comment="Meets it."
    )


@pytest.mark.parametrize("size", [3, 30])
def test_it_reads_coverage_in_a_fixed_number_of_queries(
    recruiter, assessor, size, django_assert_num_queries
):
    _linked_a_lot(recruiter, size, assessor)

    with django_assert_num_queries(COVERAGE_QUERIES):
        outcomes = coverage(recruiter)
        [(o.unit.code, row.criterion.code, row.by_kind) for o, rows in outcomes for row in rows]


# EvidenceLink rows


@pytest.mark.parametrize("kind", EvidenceLink.ITEMS)
def test_it_tells_the_kind_and_item_of_a_link(recruiter, kind):
    item = make_item(kind, recruiter)
    _link(recruiter, "2.2", **{kind: item})

    link = EvidenceLink.objects.get()

    assert (link.kind, link.item) == (kind, item)


def test_it_refuses_a_link_without_an_item(recruiter):
    _refused(lambda: _link(recruiter, "2.2"))

    assert not EvidenceLink.objects.exists()


PAIRS = [
    (first, second)
    for i, first in enumerate(EvidenceLink.ITEMS)
    for second in EvidenceLink.ITEMS[i + 1 :]
]


@pytest.mark.parametrize("pair", PAIRS, ids="+".join)
def test_it_refuses_a_link_with_two_items(recruiter, pair):
    items = {kind: make_item(kind, recruiter) for kind in pair}

    _refused(lambda: _link(recruiter, "2.2", **items))

    assert not EvidenceLink.objects.exists()


def test_it_refuses_a_link_with_every_item(recruiter):
    items = {kind: make_item(kind, recruiter) for kind in EvidenceLink.ITEMS}

    _refused(lambda: _link(recruiter, "2.2", **items))

    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize("kind", EvidenceLink.ITEMS)
def test_it_refuses_linking_an_item_twice_to_a_criterion(recruiter, kind):
    item = make_item(kind, recruiter)
    _link(recruiter, "2.2", **{kind: item})

    _refused(lambda: _link(recruiter, "2.2", **{kind: item}))

    assert EvidenceLink.objects.count() == 1


def test_it_links_an_item_to_several_criteria_and_a_criterion_to_several_items(recruiter):
    first, second = ActivityFactory(owner=recruiter), ActivityFactory(owner=recruiter)
    _link(recruiter, "2.2", activity=first)
    _link(recruiter, "3.4", activity=first)
    _link(recruiter, "2.2", activity=second)

    assert EvidenceLink.objects.count() == 3


def test_it_deletes_an_activitys_links_with_the_activity(recruiter, evidence):
    activities, _ = evidence
    gone = activities[0].pk

    activities[0].delete()

    assert not EvidenceLink.objects.filter(activity_id=gone).exists()
    assert EvidenceLink.objects.filter(activity=activities[1]).count() == 1
    assert _rows(recruiter)["2.2"].by_kind == _by_kind(activity=1, review=1)


@pytest.mark.parametrize("kind", EvidenceLink.ITEMS)
def test_it_deletes_an_items_links_with_the_item(recruiter, kind):
    item, kept = make_item(kind, recruiter), make_item(kind, recruiter)
    _link(recruiter, "2.2", **{kind: item})
    _link(recruiter, "3.4", **{kind: item})
    _link(recruiter, "2.2", **{kind: kept})

    item.delete()

    assert [link.item for link in EvidenceLink.objects.all()] == [kept]
    assert _rows(recruiter)["2.2"].by_kind == _by_kind(**{kind: 1})
    assert _rows(recruiter)["3.4"].state == "unmapped"


# SignOff rows: append-only


def test_it_never_rewrites_a_sign_off(recruiter, assessor):
    sign_off = SignOff.objects.create(
        learner=recruiter, criterion=_criterion("1.1"), assessor=assessor, comment="Meets it."
    )

    with pytest.raises(HistoryIsAppendOnly):
        sign_off.save()
    with pytest.raises(HistoryIsAppendOnly):
        SignOff.objects.filter(pk=sign_off.pk).update(criterion=_criterion("1.2"))

    sign_off.refresh_from_db()
    assert sign_off.criterion.code == "1.1"


def test_it_signs_off_a_criterion_once_per_learner(recruiter, teammate, assessor):
    criterion = _criterion("1.1")
    SignOff.objects.create(
        learner=recruiter, criterion=criterion, assessor=assessor, comment="Meets it."
    )
    SignOff.objects.create(
        learner=teammate, criterion=criterion, assessor=assessor, comment="Meets it."
    )

    _refused(
        lambda: SignOff.objects.create(
            learner=recruiter, criterion=criterion, assessor=assessor, comment="Meets it."
        )
    )

    assert SignOff.objects.count() == 2


# GET /coverage/


def _cells(response, code: str) -> list[str]:
    """The matrix's cells for criterion `code` (default unit): counts then state."""
    html = response.content.decode()
    row = re.search(rf'<th scope="row" class="fw-normal">{re.escape(code)} .*?</tr>', html, re.S)
    assert row, f"no row for {code}"
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    ]


def _shown(**counts: int) -> list[str]:
    """The count cells as the page shows them: a dash for none."""
    return [str(n) if n else "–" for n in _by_kind(**counts)]


def test_it_shows_a_recruiter_their_own_matrix(as_recruiter, recruiter, evidence):
    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert response.context["learner"] == recruiter
    assert list(response.context["learners"]) == []
    assert _cells(response, "2.2") == _shown(activity=2, review=1) + ["evidenced"]
    assert _cells(response, "4.1") == _shown(outcome=1) + ["evidenced"]
    assert _cells(response, "1.1") == _shown() + ["unmapped"]
    assert "What you have linked" in response.content.decode()


def test_it_heads_the_columns_in_the_order_of_the_counts(as_recruiter):
    html = as_recruiter.get(URL).content.decode()

    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    headings = [" ".join(h.split()) for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    assert headings == ["Criterion", *[k.capitalize() for k in EvidenceLink.ITEMS], "State"]


def test_it_shows_a_signed_off_criterion_on_the_page(as_recruiter, recruiter, assessor):
    SignOff.objects.create(
        learner=recruiter, criterion=_criterion("1.3"), assessor=assessor, comment="Meets it."
    )

    response = as_recruiter.get(URL)

    assert _cells(response, "1.3")[-1] == "signed off"


def test_it_keeps_a_recruiter_to_their_own_matrix(as_recruiter, recruiter, teammate):
    _link(teammate, "1.1", activity=ActivityFactory(owner=teammate))

    response = as_recruiter.get(URL, {"learner": teammate.pk})

    assert response.context["learner"] == recruiter
    assert _cells(response, "1.1")[-1] == "unmapped"


def test_it_lets_a_manager_pick_a_team_member(as_manager, recruiter, teammate, evidence):
    response = as_manager.get(URL, {"learner": recruiter.pk})

    assert response.status_code == 200
    assert response.context["learner"] == recruiter
    assert set(response.context["learners"]) == {recruiter, teammate}
    assert _cells(response, "2.2") == _shown(activity=2, review=1) + ["evidenced"]
    assert f"{recruiter} has linked" in response.content.decode()


def test_it_shows_a_manager_a_team_member_by_default(as_manager, recruiter, teammate):
    response = as_manager.get(URL)

    assert response.context["learner"] in {recruiter, teammate}


@pytest.mark.parametrize("raw", ["", "abc", "-1", "0", "99999999", str(10**30)])
def test_it_falls_back_on_a_bad_learner_id(as_manager, recruiter, raw):
    response = as_manager.get(URL, {"learner": raw})

    assert response.status_code == 200
    assert response.context["learner"] == recruiter


def test_it_never_shows_a_manager_another_teams_learner(as_manager, recruiter, outsider):
    outsider.first_name, outsider.last_name = "Olwen", "Outerbridge"
    outsider.save()
    _link(outsider, "1.1", activity=ActivityFactory(owner=outsider))

    response = as_manager.get(URL, {"learner": outsider.pk})

    assert response.status_code == 200
    assert response.context["learner"] == recruiter
    assert outsider not in response.context["learners"]
    assert "Outerbridge" not in response.content.decode()
    assert _cells(response, "1.1")[-1] == "unmapped"


def test_it_never_shows_a_manager_a_non_recruiter(as_manager, recruiter, manager, dpo):
    for someone in (manager, dpo):
        response = as_manager.get(URL, {"learner": someone.pk})

        assert response.context["learner"] == recruiter


def test_it_shows_no_learner_to_a_manager_without_a_team(other_manager, recruiter):
    response = client_for(other_manager).get(URL, {"learner": recruiter.pk})

    assert response.status_code == 200
    assert response.context["learner"] is None
    assert "No learner to show." in response.content.decode()
    assert "Priya" not in response.content.decode()


def test_it_lets_the_dpo_read_any_learners_matrix(dpo, recruiter, outsider, evidence):
    response = client_for(dpo).get(URL, {"learner": recruiter.pk})

    assert response.status_code == 200
    assert response.context["learner"] == recruiter
    assert {recruiter, outsider} <= set(response.context["learners"])
    assert _cells(response, "2.2")[-1] == "evidenced"


def test_it_refuses_an_assessor(assessor, recruiter, evidence):
    # The assessor reads the learner's coverage in the portfolio (netlog.access).
    response = client_for(assessor).get(URL, {"learner": recruiter.pk})

    assert response.status_code == 403


def test_it_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _page_queries(client, django_assert_max_num_queries, **params) -> int:
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["recruiter", "manager"])
def test_it_reads_the_page_in_a_fixed_number_of_queries(
    who, recruiter, teammate, manager, assessor, django_assert_max_num_queries
):
    _linked_a_lot(recruiter, 3, assessor)
    _linked_a_lot(teammate, 30, assessor)
    for _ in range(10):
        UserFactory(team=recruiter.team, role=Role.RECRUITER)

    if who == "recruiter":
        few = _page_queries(client_for(recruiter), django_assert_max_num_queries)
        many = _page_queries(client_for(teammate), django_assert_max_num_queries)
    else:
        client = client_for(manager)
        few = _page_queries(client, django_assert_max_num_queries, learner=recruiter.pk)
        many = _page_queries(client, django_assert_max_num_queries, learner=teammate.pk)

    assert few == many
