"""The access matrix: every URL of netlog, asked for by everyone who might ask, with
its parameters filled with one recruiter's records (access_world.py).

Each row gives the answer each role gets, in the order of access_world.ROLES:

    anonymous, owner, teammate, team_manager, other_manager, dpo, assessor, other_assessor

to a GET and to a POST (with no data: who may act is decided before what is sent).
The answers: L (sent to the login page), 200, 302 (sent elsewhere), 400, 403, 404, 405.

A URL that is not in the matrix fails `test_every_url_is_in_the_matrix`: nothing is
added to the URLconf unchecked. The admin's URLs are Django's, for staff only: every
role here is sent to the admin's login (`test_the_admin_is_for_staff_only`).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.admin import site
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.netlog import access_world
from tests.netlog.access_world import ROLES, World

Args = Callable[[World], dict]


def _none(w: World) -> dict:
    return {}


def _pk(name: str) -> Args:
    return lambda w: {"pk": getattr(w, name).pk}


def _learner(w: World) -> dict:
    return {"pk": w.users["owner"].pk}


def _kw(**names: str) -> Args:
    """URL kwargs from the world's records: _kw(pk="contact", other_pk="duplicate")."""
    return lambda w: {key: getattr(w, name).pk for key, name in names.items()}


@dataclass(frozen=True)
class Row:
    kwargs: Args
    get: str
    post: str
    query: Callable[[World], str] | None = None  # ?… for the links that carry a token


# The shapes most rows take, as (GET, POST).
# What the user may read, listed: everyone signed in but an assessor.
LIST = ("L 200 200 200 200 200 403 403", "L 405 405 405 405 405 403 403")
# One record: its owner, their manager, the DPO read it; to anyone else it is not there.
READ = ("L 200 404 200 404 200 403 403", "L 405 405 405 405 405 403 403")
# A form that changes one record: its owner only; those who may read it get 403.
EDIT = ("L 200 404 403 404 403 403 403", "L 200 404 403 404 403 403 403")
# A page that asks "delete?", then deletes.
DELETE = ("L 200 404 403 404 403 403 403", "L 302 404 403 404 403 403 403")
# A button on a record (POST only).
ACTION = ("L 405 405 405 405 405 403 403", "L 302 404 403 404 403 403 403")
# A recruiter's own page or form (a new record, their imports, their exports).
MINE = ("L 200 200 403 403 403 403 403", "L 200 200 403 403 403 403 403")
MINE_READ = ("L 200 200 403 403 403 403 403", "L 405 405 405 405 405 403 403")
# One of the recruiter's imports: anyone but a recruiter is refused before the lookup.
BATCH_READ = ("L 200 404 403 403 403 403 403", "L 405 405 405 405 405 403 403")
BATCH_ACTION = ("L 405 405 405 405 405 403 403", "L 302 404 403 403 403 403 403")
# The DPO's pages and buttons.
DPO = ("L 403 403 403 403 200 403 403", "L 403 403 403 403 200 403 403")
DPO_READ = ("L 403 403 403 403 200 403 403", "L 405 405 405 405 405 403 403")
DPO_STEP = ("L 405 405 405 405 405 403 403", "L 403 403 403 403 302 403 403")
DPO_FORM_STEP = ("L 405 405 405 405 405 403 403", "L 403 403 403 403 400 403 403")
# A pack: the one who asked (the owner), the learner's assessor; no one else.
PACK = ("L 200 404 404 404 404 200 404", "L 405 405 405 405 405 405 405")
# A page anyone may open, signed in or not: here with no token, or a wrong one.
PUBLIC_NO_TOKEN = "404 404 404 404 404 404 404 404"

NONE = _none
CONTACT = _kw(pk="contact")
DATA_REQUEST = _kw(pk="data_request")
EXPORT = _kw(pk="export")
BATCH = _kw(pk="batch")

MATRIX: dict[str, Row] = {
    "dashboard": Row(NONE, "L 200 200 200 200 200 302 302", "L 405 405 405 405 405 405 405"),
    "login": Row(NONE, "200 302 302 302 302 302 302 302", "200 302 302 302 302 302 302 302"),
    # signing out sends everyone to the login page
    "logout": Row(NONE, "L 405 405 405 405 405 405 405", "L L L L L L L L"),
    # contacts
    "contacts:contact_list": Row(NONE, *LIST),
    "contacts:contact_create": Row(NONE, *MINE),
    "contacts:contact_detail": Row(CONTACT, *READ),
    "contacts:contact_edit": Row(CONTACT, *EDIT),
    "contacts:contact_delete": Row(CONTACT, *DELETE),
    "contacts:contact_log_activity": Row(
        CONTACT, "L 405 405 405 405 405 403 403", "L 200 404 403 404 403 403 403"
    ),
    "contacts:contact_duplicates": Row(NONE, *MINE_READ),
    "contacts:contact_merge": Row(
        _kw(pk="contact", other_pk="duplicate"),
        "L 200 404 403 403 403 403 403",
        "L 302 404 403 403 403 403 403",
    ),
    "contacts:activity_list": Row(NONE, *LIST),
    "contacts:activity_create": Row(NONE, *MINE),
    "contacts:activity_detail": Row(_kw(pk="activity"), *READ),
    "contacts:activity_edit": Row(_kw(pk="activity"), *EDIT),
    "contacts:activity_delete": Row(_kw(pk="activity"), *DELETE),
    "contacts:activity_follow_up_done": Row(_kw(pk="activity"), *ACTION),
    "contacts:outcome_list": Row(NONE, *LIST),
    "contacts:outcome_create": Row(NONE, *MINE),
    "contacts:outcome_edit": Row(_kw(pk="outcome"), *EDIT),
    "contacts:outcome_delete": Row(_kw(pk="outcome"), *DELETE),
    # consent
    "consent:basis_edit": Row(CONTACT, *EDIT),
    "consent:consent_add": Row(CONTACT, *EDIT),
    "consent:consent_withdraw": Row(CONTACT, *EDIT),
    "consent:notice_deliver": Row(CONTACT, *EDIT),
    "consent:disclosure_add": Row(CONTACT, *EDIT),
    # the privacy notices and what is due under Art. 14: every member of staff
    "consent:privacy": Row(NONE, "L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "consent:notice_publish": Row(NONE, *DPO),
    # privacy: the DPO's
    "privacy:request_list": Row(NONE, *DPO_READ),
    "privacy:request_new": Row(NONE, *DPO),
    "privacy:request_detail": Row(DATA_REQUEST, *DPO_READ),
    "privacy:request_link": Row(DATA_REQUEST, *DPO_STEP),
    "privacy:request_unlink": Row(_kw(pk="data_request", contact_pk="contact"), *DPO_STEP),
    "privacy:request_verify": Row(DATA_REQUEST, *DPO_FORM_STEP),
    "privacy:request_extend": Row(DATA_REQUEST, *DPO_FORM_STEP),
    "privacy:request_approve": Row(DATA_REQUEST, *DPO_STEP),
    "privacy:request_refuse": Row(DATA_REQUEST, *DPO_FORM_STEP),
    "privacy:request_carry_out": Row(DATA_REQUEST, *DPO_STEP),
    "privacy:request_complete": Row(DATA_REQUEST, *DPO_STEP),
    # an erasure request has no access report: 404 for the DPO too
    "privacy:access_report": Row(
        DATA_REQUEST, "L 403 403 403 403 404 403 403", "L 405 405 405 405 405 403 403"
    ),
    "privacy:access_download": Row(
        DATA_REQUEST, "L 403 403 403 403 404 403 403", "L 405 405 405 405 405 403 403"
    ),
    "privacy:audit_list": Row(NONE, *DPO_READ),
    "privacy:retention": Row(NONE, *DPO),
    # reviews
    "reviews:home": Row(NONE, *LIST),
    "reviews:review_create": Row(CONTACT, *EDIT),
    "reviews:cadence_edit": Row(CONTACT, *EDIT),
    "reviews:review_detail": Row(_kw(pk="review"), *READ),
    "reviews:review_action_done": Row(_kw(pk="review"), *ACTION),
    "reviews:cadence_kinds": Row(NONE, *MINE),
    "reviews:reflection_list": Row(NONE, *LIST),
    "reviews:reflection_create": Row(NONE, *MINE),
    "reviews:reflection_detail": Row(_kw(pk="reflection"), *READ),
    "reviews:reflection_edit": Row(_kw(pk="reflection"), *EDIT),
    "reviews:reflection_delete": Row(_kw(pk="reflection"), *ACTION),
    "reviews:evidence_edit": Row(
        lambda w: {"kind": "activity", "pk": w.activity.pk},
        EDIT[0],
        "L 302 404 403 404 403 403 403",
    ),
    "reviews:coverage": Row(NONE, *LIST),
    "reviews:health": Row(NONE, *LIST),
    "reviews:reminders": Row(NONE, *LIST),
    "reviews:testimony_list": Row(NONE, *LIST),
    # a manager writes for the recruiters of their own team (the form lists them)
    "reviews:testimony_write": Row(
        NONE, "L 403 403 200 200 403 403 403", "L 403 403 200 200 403 403 403"
    ),
    "reviews:testimony_detail": Row(_kw(pk="testimony"), *READ),
    "reviews:testimony_request_create": Row(CONTACT, *EDIT),
    "reviews:testimony_public": Row(NONE, PUBLIC_NO_TOKEN, PUBLIC_NO_TOKEN),
    # portfolio
    "portfolio:home": Row(NONE, "L 302 302 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "portfolio:learner": Row(
        _learner, "L 200 404 200 404 404 200 404", "L 405 405 405 405 405 405 405"
    ),
    "portfolio:export_create": Row(
        _learner, "L 405 405 405 405 405 405 405", "L 302 404 302 404 404 302 404"
    ),
    "portfolio:export_detail": Row(EXPORT, *PACK),
    "portfolio:export_status": Row(EXPORT, *PACK),
    "portfolio:export_download": Row(EXPORT, *PACK),
    "portfolio:export_pdf": Row(EXPORT, *PACK),
    "portfolio:pack_verify": Row(
        NONE, "L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"
    ),
    "portfolio:sign_off": Row(
        lambda w: {"pk": w.users["owner"].pk, "criterion_pk": w.criterion.pk},
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 403 403 400 404",
    ),
    # imports
    "imports:upload": Row(NONE, *MINE),
    "imports:detail": Row(BATCH, *BATCH_READ),
    "imports:status": Row(BATCH, *BATCH_READ),
    "imports:columns": Row(BATCH, "L 302 404 403 403 403 403 403", "L 302 404 403 403 403 403 403"),
    "imports:choose": Row(_kw(pk="batch", row_pk="row"), *BATCH_ACTION),
    "imports:choose_all": Row(BATCH, *BATCH_ACTION),
    "imports:commit": Row(BATCH, *BATCH_ACTION),
    "imports:cancel": Row(BATCH, *BATCH_ACTION),
    # takeout
    "takeout:contacts_csv": Row(NONE, *MINE_READ),
    "takeout:contacts_vcard": Row(NONE, *MINE_READ),
    "takeout:calendar": Row(NONE, *MINE_READ),
    "takeout:calendar_new": Row(
        NONE, "L 405 405 405 405 405 403 403", "L 200 200 403 403 403 403 403"
    ),
    "takeout:calendar_revoke": Row(
        NONE, "L 405 405 405 405 405 403 403", "L 302 302 403 403 403 403 403"
    ),
    "takeout:calendar_feed": Row(NONE, PUBLIC_NO_TOKEN, "405 405 405 405 405 405 405 405"),
}

# The links that carry a token, with a good one: whoever follows it gets the page (the
# witness's link moves its token into the session and sends them to the bare page).
WITH_TOKEN: dict[str, Row] = {
    "reviews:testimony_public": Row(
        NONE,
        "302 302 302 302 302 302 302 302",
        PUBLIC_NO_TOKEN,  # a form is sent with its token in the session or the form
        query=lambda w: f"t={w.testimony_token}",
    ),
    "takeout:calendar_feed": Row(
        NONE,
        "200 200 200 200 200 200 200 200",
        "405 405 405 405 405 405 405 405",
        query=lambda w: f"token={w.calendar_token}",
    ),
}


def _names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            names.add(f"{namespace}{p.name}")
    return names


def app_url_names() -> set[str]:
    return {n for n in _names(get_resolver().url_patterns) if not n.startswith("admin:")}


def _answer(response) -> str:
    if response.status_code == 302:
        return "L" if response["Location"].startswith(reverse("login")) else "302"
    return str(response.status_code)


def observe(world: World, name: str, row: Row, method: str) -> str:
    """What each role gets; each request in a savepoint rolled back after it, so every
    role asks about the same records."""
    url = reverse(name, kwargs=row.kwargs(world))
    if row.query:
        url = f"{url}?{row.query(world)}"
    answers = []
    for role in ROLES:
        client = Client()
        if user := world.users[role]:
            client.force_login(user)
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url)
            answers.append(_answer(response))
            transaction.set_rollback(True)
    return " ".join(answers)


def test_every_url_is_in_the_matrix():
    assert app_url_names() - MATRIX.keys() == set(), "add these URLs to the matrix"
    assert MATRIX.keys() - app_url_names() == set(), "these URLs are gone: remove them"


@pytest.fixture
def world(db) -> World:
    cache.clear()  # the public links' rate limits
    yield access_world.build()
    cache.clear()


@pytest.mark.parametrize(
    ("name", "row"),
    [*MATRIX.items(), *((f"{name} with its token", row) for name, row in WITH_TOKEN.items())],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_who_gets_what(world, name, row):
    name = name.removesuffix(" with its token")
    assert (observe(world, name, row, "GET"), observe(world, name, row, "POST")) == (
        row.get,
        row.post,
    ), f"{name}: each role in turn: {' '.join(ROLES)}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_admin_is_for_staff_only(role):
    world = access_world.build()
    client = Client()
    client.force_login(world.users[role])
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in site._registry
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_every_post_needs_the_csrf_token(world):
    """A form posted from another site carries the user's cookies but not the page's
    token: every URL refuses it before its view runs, as every role would see it."""
    refused = {}
    for name, row in MATRIX.items():
        url = reverse(name, kwargs=row.kwargs(world))
        for role in ["anonymous", "owner", "dpo"]:
            client = Client(enforce_csrf_checks=True)
            if user := world.users[role]:
                client.force_login(user)
            with transaction.atomic():
                response = client.post(url)
                transaction.set_rollback(True)
            if response.status_code != 403 or b"CSRF" not in response.content:
                refused[f"{name} as {role}"] = response.status_code
    assert refused == {}


# What a GET may write: who viewed or downloaded what (the audit trail) and the
# session (the testimony link moves its token there).
WRITTEN_BY_VIEWING = {"privacy.AuditEvent", "sessions.Session"}


def _every_row() -> dict[str, list[dict]]:
    return {
        model._meta.label: sorted(model.objects.values(), key=lambda row: str(row.get("id")))
        for model in apps.get_models()
        if model._meta.label not in WRITTEN_BY_VIEWING and model._meta.managed
    }


def test_no_get_changes_anything(world):
    """Every URL asked by GET, by every role, with the world's records: afterwards every
    row of every table is as it was."""
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client()
        if user:
            clients[role].force_login(user)
    before = _every_row()
    for name, row in [*MATRIX.items(), *WITH_TOKEN.items()]:
        url = reverse(name, kwargs=row.kwargs(world))
        if row.query:
            url = f"{url}?{row.query(world)}"
        for client in clients.values():
            client.get(url)
    after = _every_row()

    assert [label for label in before if before[label] != after[label]] == []
