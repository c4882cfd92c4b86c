"""The people every view test needs (after healthchecks' owner / teammate / outsider):
a recruiter, another recruiter in the same team, a recruiter in another team, the
team's manager, another team's manager, the DPO and an assessor."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Role
from tests.factories import TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the in-process one, without Redis): rate
    limits, job progress and the daily jobs' claims on their day (netlog.jobs) are
    the test's own."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def team(db):
    return TeamFactory(
        name="Tech Permanent", manager=UserFactory(username="manager", role=Role.MANAGER)
    )


@pytest.fixture
def other_team(db):
    return TeamFactory(
        name="Commercial", manager=UserFactory(username="other_manager", role=Role.MANAGER)
    )


@pytest.fixture
def recruiter(team):
    return UserFactory(username="recruiter", first_name="Priya", team=team)


@pytest.fixture
def teammate(team):
    return UserFactory(username="teammate", team=team)


@pytest.fixture
def outsider(other_team):
    return UserFactory(username="outsider", team=other_team)


@pytest.fixture
def manager(team):
    return team.manager


@pytest.fixture
def other_manager(other_team):
    return other_team.manager


@pytest.fixture
def dpo(db):
    return UserFactory(username="dpo", role=Role.DPO)


@pytest.fixture
def assessor(db):
    return UserFactory(username="assessor", role=Role.ASSESSOR)


def client_for(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


@pytest.fixture
def as_recruiter(recruiter):
    return client_for(recruiter)


@pytest.fixture
def as_outsider(outsider):
    return client_for(outsider)


@pytest.fixture
def as_manager(manager):
    return client_for(manager)


def assert_labelled(html: str, field: str, text: str) -> None:
    """A visible <label> tied to the input id_<field> reads `text`."""
    pattern = rf'<label[^>]*for="id_{field}"[^>]*>\s*{re.escape(text)}'
    assert re.search(pattern, html), f"no label {text!r} for id_{field}"


def daily_schedule(task: str) -> tuple[str, str, str]:
    """The (hour, minute, time zone) at which django-celery-beat runs `task` each day,
    after checking that it is enabled and called without arguments (netlog.schedules)."""
    from django_celery_beat.models import PeriodicTask

    periodic = PeriodicTask.objects.get(task=task)
    assert periodic.enabled and (periodic.args, periodic.kwargs) == ("[]", "{}")
    crontab = periodic.crontab
    assert (crontab.day_of_week, crontab.day_of_month, crontab.month_of_year) == ("*", "*", "*")
    return crontab.hour, crontab.minute, str(crontab.timezone)


def hidden_from(role: str) -> int:
    """What a record out of `role`'s scope answers: 404, so a guessed id reveals
    nothing; but an assessor is refused every page outside the portfolio (403) before
    any record is looked up (netlog.access.AssessorScopeMiddleware)."""
    return 403 if role == "assessor" else 404
