"""Loading a unit (its learning outcomes and criteria) from a JSON file: the default
unit by migration, another awarding body's with `manage.py load_unit FILE`."""

import json
from pathlib import Path

DEFAULT_UNIT = Path(__file__).resolve().parent / "data" / "default-unit.json"


def load_unit(data: dict, *, Unit, LearningOutcome, Criterion) -> tuple[object, int]:
    """Create or update the unit in `data`; returns (unit, criteria written). The
    models are passed in so a migration can use its historical ones."""
    unit, _ = Unit.objects.update_or_create(
        code=data["code"],
        defaults={"title": data["title"], "awarding_body": data.get("awarding_body", "")},
    )
    written = 0
    for outcome_data in data["outcomes"]:
        outcome, _ = LearningOutcome.objects.update_or_create(
            unit=unit, number=outcome_data["number"], defaults={"text": outcome_data["text"]}
        )
        for criterion in outcome_data["criteria"]:
            Criterion.objects.update_or_create(
                outcome=outcome, code=criterion["code"], defaults={"text": criterion["text"]}
            )
            written += 1
    return unit, written


def read_unit(path: Path) -> dict:
    """The file's unit, checked for the keys load_unit needs (a clear error, not a
    KeyError half-way through)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name} must hold one unit (a JSON object).")
    missing = [key for key in ("code", "title", "outcomes") if key not in data]
    for outcome in data.get("outcomes", []):
        missing += [f"outcome.{k}" for k in ("number", "text", "criteria") if k not in outcome]
        for criterion in outcome.get("criteria", []):
            missing += [f"criterion.{k}" for k in ("code", "text") if k not in criterion]
    if missing:
        raise ValueError(f"{path.name} is missing: {', '.join(sorted(set(missing)))}")
    wrong = [
        f"outcome {outcome.get('number')!r}"
        for outcome in data["outcomes"]
        if not isinstance(outcome.get("number"), int)
        or not isinstance(outcome.get("criteria"), list)
        or not all(isinstance(c.get("code"), str) for c in outcome["criteria"])
    ]
    if wrong:
        raise ValueError(f"{path.name}: {', '.join(wrong)} must have a whole number and a list")
    return data
