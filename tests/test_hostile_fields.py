"""No free-text field goes unchecked: every CharField and TextField of netlog's models is
either covered by the hostile-input browser tests or excluded with a reason
(tests/hostile_fields.py). A new field fails here until it is listed in one of them."""

from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.db import models

from tests.hostile_fields import COVERED, EXCLUDED, ROLES, TINY, tag, tagged


def project_apps() -> list[AppConfig]:
    """The apps written here (accounts, contacts...), not Django's or a library's: an
    app added to the project is checked without being listed anywhere."""
    return [c for c in apps.get_app_configs() if Path(c.path).parent == settings.BASE_DIR]


def text_fields() -> set[str]:
    """'app_label.Model.field' of every CharField and TextField (EmailField, URLField
    and other subclasses included) the project's models store, inherited ones too."""
    found = set()
    for app in project_apps():
        for model in app.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, (models.CharField, models.TextField)):
                    found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_text_field_is_covered_or_excluded() -> None:
    unlisted = sorted(text_fields() - COVERED.keys() - EXCLUDED.keys())
    assert unlisted == [], (
        "Put a payload in these fields in tests/browser/test_hostile_input*.py and list them "
        "in COVERED, or list them in EXCLUDED with the reason no one can type into them "
        "(tests/hostile_fields.py)"
    )


def test_no_field_is_both_covered_and_excluded() -> None:
    assert sorted(COVERED.keys() & EXCLUDED.keys()) == []


def test_every_listed_field_exists() -> None:
    assert sorted((COVERED.keys() | EXCLUDED.keys()) - text_fields()) == []


def test_every_covered_field_is_seen_by_someone() -> None:
    assert {label: roles for label, roles in COVERED.items() if not roles} == {}
    assert {label: roles for label, roles in COVERED.items() if set(roles) - ROLES} == {}


def test_every_covered_field_has_a_tag_of_its_own() -> None:
    """Three characters each, so no tag is found inside another's."""
    tags = [tag(label) for label in COVERED]
    assert len(set(tags)) == len(tags)
    assert {len(t) for t in tags} == {3}


def test_every_covered_field_takes_a_payload_with_its_tag() -> None:
    """The shortest payload fits each field with its tag (PostgreSQL would refuse a
    longer value; SQLite would keep it)."""
    too_short = {}
    for label in COVERED:
        model_label, name = label.rsplit(".", 1)
        limit = apps.get_model(model_label)._meta.get_field(name).max_length
        if limit is not None and len(tagged(label, TINY)) > limit:
            too_short[label] = limit
    assert too_short == {}


def test_every_exclusion_says_why() -> None:
    assert [label for label, reason in EXCLUDED.items() if len(reason.strip()) < 10] == []


def test_the_check_reads_the_project_apps() -> None:
    """Not an empty list that would pass whatever the models hold."""
    assert {"accounts", "contacts", "consent", "privacy", "reviews"} <= {
        app.label for app in project_apps()
    }
