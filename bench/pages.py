"""Benchmark: netlog's pages and jobs on the data `manage.py generate_network` made,
against the Django admin's changelist for contacts on the same data.

Each page is requested through Django's test client in this process (the full stack:
middleware, views, queries, templates; no network), a few times to warm up, then
REPEATS times; p50 and p95 are of those, and the query count is of one of them.
Each job runs inside a transaction that is rolled back, so the data stays as
generated. Results are printed and written to bench/RESULTS.md.

    .venv/bin/python -m bench.pages        # or `make bench`, which also runs the import
"""

import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))
WARMUP = 3
RESULTS = Path(__file__).with_name("RESULTS.md")


@dataclass
class Figure:
    name: str
    budget_ms: float | None  # p95 budget; None: measured, no budget
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    peak_mb: float | None = None
    note: str = ""
    # The admin page that does the same thing, for the ratio: its search for our search,
    # its last page for ours. Pages the admin has no counterpart of (a detail page, the
    # dashboard) are compared with its first page, the changelist.
    yardstick: str = "changelist"

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Rollback(Exception):
    pass


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


# The admin's pages that are measured, by the yardstick name the figures use.
ADMIN = {
    "changelist": "contacts changelist",
    "search": "contacts search",
    "kind": "contacts filtered by kind",
    "last": "contacts, last page",
}


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _page(
    name: str, client, url: str, budget_ms: float | None, yardstick: str = "changelist"
) -> Figure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figure = Figure(name, budget_ms, yardstick=yardstick)
    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url)
        figure.times_ms.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    figure.queries = len(queries.captured_queries)
    return figure


def _job(name: str, run, budget_ms: float | None, *, repeats: int = 1) -> Figure:
    """`run` inside a rolled-back transaction, timed; then once more under tracemalloc
    for its peak memory (tracemalloc slows Python too much to time the same run)."""
    from django.db import transaction

    figure = Figure(name, budget_ms)
    for traced in [False] * repeats + [True]:
        try:
            with transaction.atomic():
                if traced:
                    tracemalloc.start()
                started = time.perf_counter()
                run()
                elapsed = (time.perf_counter() - started) * 1000
                if traced:
                    figure.peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
                    tracemalloc.stop()
                else:
                    figure.times_ms.append(elapsed)
                raise Rollback
        except Rollback:
            pass
    return figure


def pages() -> list[Figure]:
    from django.db.models import Count
    from django.urls import reverse

    from accounts.models import Role, User
    from contacts.admin import ContactAdmin
    from contacts.models import Contact, Kind, Tag

    recruiter = (
        User.objects.filter(role=Role.RECRUITER, username__startswith="bench-")
        .order_by("username")
        .first()
    )
    if recruiter is None:
        sys.exit("No generated data: run `manage.py generate_network --scale small` first.")
    dpo = User.objects.filter(role=Role.DPO).first() or User.objects.create(
        username="bench-dpo", role=Role.DPO
    )
    manager = recruiter.team.manager
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create(
        username="bench-admin", is_staff=True, is_superuser=True, role=Role.DPO
    )
    mine = Contact.objects.filter(owner=recruiter)
    busiest = mine.annotate(n=Count("activities")).order_by("-n").first()
    tag = Tag.objects.filter(owner=recruiter).first()
    near_end = mine.order_by("-last_name", "-first_name", "-id").values_list("pk", flat=True)[5]
    as_recruiter, as_dpo, as_admin = _client(recruiter), _client(dpo), _client(admin)
    as_manager = _client(manager)
    team = f"{recruiter.team.members.count()} recruiters"
    contacts = reverse("contacts:contact_list")
    changelist = reverse("admin:contacts_contact_changelist")
    last = -(-Contact.objects.count() // ContactAdmin.list_per_page)
    figures = [
        _page(f"Django admin: {ADMIN['changelist']}", as_admin, changelist, None),
        _page(f"Django admin: {ADMIN['search']}", as_admin, f"{changelist}?q=smith", None),
        _page(
            f"Django admin: {ADMIN['kind']}",
            as_admin,
            f"{changelist}?kind__exact={Kind.CANDIDATE}",
            None,
        ),
        _page(f"Django admin: {ADMIN['last']}", as_admin, f"{changelist}?p={last}", None),
        _page("Contact list (recruiter)", as_recruiter, contacts, 100),
        _page("Contact list (DPO, every contact)", as_dpo, contacts, 100),
        _page("Contact list: search", as_dpo, f"{contacts}?q=smith", 100, "search"),
        _page(
            "Contact list: kind and tag",
            as_recruiter,
            f"{contacts}?kind={Kind.CANDIDATE}&tag={tag.name if tag else ''}",
            100,
            "kind",
        ),
        _page("Contact list: last page", as_recruiter, f"{contacts}?after={near_end}", 100, "last"),
        _page(
            f"Contact detail ({busiest.n} activities)",
            as_recruiter,
            reverse("contacts:contact_detail", args=[busiest.pk]),
            100,
        ),
        _page("Activity list", as_recruiter, reverse("contacts:activity_list"), 100),
        _page(
            f"Activity list (manager, {team})", as_manager, reverse("contacts:activity_list"), 100
        ),
        _page("Dashboard", as_recruiter, reverse("dashboard"), 200),
        _page("Network health", as_recruiter, reverse("reviews:health"), 200),
        _page(f"Network health (manager, {team})", as_manager, reverse("reviews:health"), 200),
        _page("Coverage matrix", as_recruiter, reverse("reviews:coverage"), 100),
        _page("Who needs attention (reviews)", as_recruiter, reverse("reviews:home"), 100),
    ]
    return figures


def jobs() -> list[Figure]:
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import Role, User
    from contacts.models import Contact
    from portfolio.pack import build_zip
    from privacy.services import person_erase, retention_run
    from reviews.reminders import digest_for

    recruiter = User.objects.filter(role=Role.RECRUITER, username__startswith="bench-").first()
    person = (  # the busiest with a phone number: found in any spelling of it too
        Contact.objects.filter(owner=recruiter)
        .exclude(phone="")
        .annotate(n=Count("activities"))
        .order_by("-n")
        .first()
    )
    today = timezone.localdate()
    recruiters = list(User.objects.filter(role=Role.RECRUITER))
    return [
        _job("Erasure of one person", lambda: person_erase(contacts=[person]), 1000),
        _job("Retention sweep (every contact)", lambda: retention_run(today=today), 60_000),
        _job(
            f"Reminders digest ({len(recruiters)} recruiters)",
            lambda: [digest_for(user, today) for user in recruiters],
            None,
        ),
        _job("Portfolio pack (PDF and ZIP)", lambda: build_zip(recruiter, by=recruiter), None),
    ]


def machine() -> str:
    """The machine, its database and Python, for a results file (the load test's too)."""
    from django.db import connection

    cores = os.cpu_count()
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
        version = cursor.fetchone()[0] if connection.vendor == "postgresql" else "SQLite"
    python = platform.python_version()
    return f"{platform.platform()}, {cores} cores{memory}; Python {python}; {version}"


def scale() -> str:
    """How much generated data the database holds."""
    from contacts.models import Activity, Contact

    return f"{Contact.objects.count():,} contacts, {Activity.objects.count():,} activities"


def report(figures: list[Figure], import_table: str) -> str:
    admin = {
        key: next(f for f in figures if f.name == f"Django admin: {name}")
        for key, name in ADMIN.items()
    }
    lines = [
        "# Benchmark results",
        "",
        f"Run on {datetime.date.today():%-d %B %Y}: {machine()}.",
        f"Data: {scale()} (`manage.py generate_network`).",
        f"Pages: {REPEATS} requests each after {WARMUP} to warm up, through the full Django"
        " stack in one process; jobs: rolled back after each run. Ratio: the p50 of the"
        " admin page that does the same (its search for our search, its kind filter for"
        " ours, its last page for ours; its changelist for every other page) divided by"
        " the page's: how many times faster.",
        "",
        "| what | p50 ms | p95 ms | queries | budget (p95) | met | × faster than admin |"
        " 5× met | compared with |",
        "|---|---:|---:|---:|---:|:-:|---:|:-:|---|",
    ]
    for f in figures:
        budget = f"{f.budget_ms:,.0f} ms" if f.budget_ms else "–"
        met = "" if not f.budget_ms else ("yes" if f.p95 <= f.budget_ms else "**no**")
        if f.peak_mb is not None:
            lines.append(
                f"| {f.name} | {f.p50:,.0f} | {f.p95:,.0f} | – | {budget} | {met} |"
                f" peak {f.peak_mb:.0f} MB | | |"
            )
        elif f.name.startswith("Django admin"):
            lines.append(f"| {f.name} | {f.p50:.1f} | {f.p95:.1f} | {f.queries} | – | | | | |")
        else:
            ratio = admin[f.yardstick].p50 / f.p50
            lines.append(
                f"| {f.name} | {f.p50:.1f} | {f.p95:.1f} | {f.queries} | {budget} | {met} |"
                f" {ratio:.1f} | {'yes' if ratio >= 5 else '**no**'} |"
                f" {ADMIN[f.yardstick]} |"
            )
    lines += ["", "## 30,000-row LinkedIn import", "", "```", import_table.rstrip(), "```", ""]
    return "\n".join(lines)


def main() -> None:
    _setup()
    figures = pages() + jobs()
    import_table = subprocess.run(
        [sys.executable, "-m", "bench.import_linkedin"], capture_output=True, text=True, check=True
    ).stdout
    text = report(figures, import_table)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
