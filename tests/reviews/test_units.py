"""Units as data: the default unit loaded by migration 0002 from
reviews/data/default-unit.json, and `manage.py load_unit FILE` for other units."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviews.models import Criterion, LearningOutcome, Unit
from reviews.units import DEFAULT_UNIT

OTHER = {
    "code": "REC5",
    "title": "Recruitment practice",
    "awarding_body": "Another awarding body",
    "outcomes": [
        {
            "number": 1,
            "text": "Source candidates",
            "criteria": [
                {"code": "1.1", "text": "Use job boards."},
                {"code": "1.2", "text": "Use referrals."},
            ],
        },
        {
            "number": 2,
            "text": "Keep in touch",
            "criteria": [{"code": "2.1", "text": "Follow up."}],
        },
    ],
}


def _default() -> dict:
    return json.loads(DEFAULT_UNIT.read_text(encoding="utf-8"))


def _write(tmp_path, data, name: str = "unit.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _counts() -> tuple[int, int, int]:
    return Unit.objects.count(), LearningOutcome.objects.count(), Criterion.objects.count()


def _load(path) -> str:
    out = StringIO()
    call_command("load_unit", str(path), stdout=out)
    return out.getvalue()


# The default unit, loaded by the migration


def test_it_loads_the_default_unit_by_migration(db):
    unit = Unit.objects.get()

    assert unit.code == "NET"
    assert unit.outcomes.count() == 4
    assert Criterion.objects.filter(outcome__unit=unit).count() == 13


def test_it_loads_the_texts_of_the_json_file(db):
    data = _default()
    unit = Unit.objects.get(code=data["code"])

    assert (unit.title, unit.awarding_body) == (data["title"], data["awarding_body"])
    outcomes = [
        (o.number, o.text, [(c.code, c.text) for c in o.criteria.order_by("code")])
        for o in unit.outcomes.order_by("number")
    ]
    expected = [
        (o["number"], o["text"], [(c["code"], c["text"]) for c in o["criteria"]])
        for o in data["outcomes"]
    ]
    assert outcomes == expected


def test_it_numbers_the_criteria_by_outcome(db):
    codes = list(Criterion.objects.values_list("outcome__number", "code"))

    assert codes == [
        (1, "1.1"), (1, "1.2"), (1, "1.3"),
        (2, "2.1"), (2, "2.2"), (2, "2.3"), (2, "2.4"),
        (3, "3.1"), (3, "3.2"), (3, "3.3"), (3, "3.4"),
        (4, "4.1"), (4, "4.2"),
    ]  # fmt: skip


# manage.py load_unit


def test_it_loads_another_unit_from_a_file(db, tmp_path):
    output = _load(_write(tmp_path, OTHER))

    unit = Unit.objects.get(code="REC5")
    assert (unit.title, unit.awarding_body) == ("Recruitment practice", "Another awarding body")
    assert list(unit.outcomes.values_list("number", "text")) == [
        (1, "Source candidates"),
        (2, "Keep in touch"),
    ]
    assert list(
        Criterion.objects.filter(outcome__unit=unit).values_list("outcome__number", "code", "text")
    ) == [(1, "1.1", "Use job boards."), (1, "1.2", "Use referrals."), (2, "2.1", "Follow up.")]
    assert "3 criteria" in output
    assert Unit.objects.filter(code="NET").exists()


def test_it_defaults_the_awarding_body_to_empty(db, tmp_path):
    data = {key: value for key, value in OTHER.items() if key != "awarding_body"}

    _load(_write(tmp_path, data))

    assert Unit.objects.get(code="REC5").awarding_body == ""


def test_it_is_idempotent(db, tmp_path):
    path = _write(tmp_path, OTHER)
    _load(path)
    before = _counts()
    ids = set(Criterion.objects.values_list("pk", flat=True))

    _load(path)

    assert _counts() == before
    assert set(Criterion.objects.values_list("pk", flat=True)) == ids


def test_it_updates_the_texts_when_run_again(db, tmp_path):
    _load(_write(tmp_path, OTHER))
    criterion = Criterion.objects.get(outcome__unit__code="REC5", code="1.1")
    changed = json.loads(json.dumps(OTHER))
    changed["title"] = "Recruitment practice (2025)"
    changed["outcomes"][0]["text"] = "Source candidates lawfully"
    changed["outcomes"][0]["criteria"][0]["text"] = "Use job boards well."

    _load(_write(tmp_path, changed))

    unit = Unit.objects.get(code="REC5")
    assert unit.title == "Recruitment practice (2025)"
    assert unit.outcomes.get(number=1).text == "Source candidates lawfully"
    criterion.refresh_from_db()  # the same row, so its evidence links stay
    assert criterion.text == "Use job boards well."
    assert Criterion.objects.filter(outcome__unit=unit).count() == 3


def test_it_reloads_the_default_unit_without_duplicates(db):
    before = _counts()

    _load(DEFAULT_UNIT)

    assert _counts() == before


def _without(path: list, key: str) -> dict:
    """OTHER without `key` in the dict at `path` (keys and list indexes)."""
    data = json.loads(json.dumps(OTHER))
    target = data
    for step in path:
        target = target[step]
    del target[key]
    return data


@pytest.mark.parametrize(
    "data, missing",
    [
        (_without([], "code"), "code"),
        (_without([], "title"), "title"),
        (_without([], "outcomes"), "outcomes"),
        (_without(["outcomes", 1], "number"), "outcome.number"),
        (_without(["outcomes", 1], "text"), "outcome.text"),
        (_without(["outcomes", 1], "criteria"), "outcome.criteria"),
        (_without(["outcomes", 1, "criteria", 0], "code"), "criterion.code"),
        (_without(["outcomes", 1, "criteria", 0], "text"), "criterion.text"),
    ],
)
def test_it_refuses_a_file_with_missing_keys(db, tmp_path, data, missing):
    before = _counts()

    with pytest.raises(CommandError, match=rf"missing: .*\b{missing}\b"):
        _load(_write(tmp_path, data))

    assert _counts() == before
    assert not Unit.objects.filter(code="REC5").exists()


def test_it_writes_nothing_when_a_late_outcome_is_incomplete(db, tmp_path):
    # The first outcome is complete: nothing of it is written either.
    data = _without(["outcomes", 1, "criteria", 0], "text")
    before = _counts()

    with pytest.raises(CommandError):
        _load(_write(tmp_path, data))

    assert _counts() == before


def test_it_refuses_invalid_json(db, tmp_path):
    before = _counts()

    with pytest.raises(CommandError):
        _load(_write(tmp_path, '{"code": "REC5", "title": '))

    assert _counts() == before


def test_it_refuses_a_missing_file(db, tmp_path):
    before = _counts()

    with pytest.raises(CommandError, match="nope.json"):
        _load(tmp_path / "nope.json")

    assert _counts() == before


def _numbered(number) -> dict:
    data = json.loads(json.dumps(OTHER))
    data["outcomes"][1]["number"] = number  # the first outcome would load
    return data


@pytest.mark.parametrize("data", [_numbered("two"), [OTHER]], ids=["number", "array"])
def test_it_refuses_a_file_of_the_wrong_shape(db, tmp_path, data):
    before = _counts()

    with pytest.raises(CommandError):
        _load(_write(tmp_path, data))

    assert _counts() == before


def test_it_writes_nothing_when_a_value_is_wrong(db, tmp_path):
    before = _counts()

    with pytest.raises((CommandError, ValueError)):  # ValueError today: see above
        _load(_write(tmp_path, _numbered("two")))

    assert _counts() == before
