"""`make load`: the load test. gunicorn serves netlog from the PostgreSQL database that
DATABASE_URL names, on the loopback interface, and Locust (bench/locustfile.py) plays
LOAD_USERS recruiters (50: the whole agency at once) for LOAD_SECONDS: browsing,
searching, opening contacts and logging activities. The figures (requests per second,
p50 and p95, errors) are written to bench/LOAD.md; any error fails the run.

The database must hold `manage.py generate_network` data (`make bench` leaves the
agency scale; `BENCH_SCALES=small make bench` a small one): the recruiters it made are
given a password for the run.
"""

import csv
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("LOAD.md")
PORT = int(os.environ.get("LOAD_PORT", "8765"))
USERS = int(os.environ.get("LOAD_USERS", "50"))  # the agency's 50 recruiters at once
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "3"))
PASSWORD = "load-test-password"  # set on the generated recruiters only
SIGN_IN_SECONDS = 30  # for everyone to sign in; what is left of it is measured too
# LOAD_FAULT=postgres restarts the database server in the middle of the run (as root,
# as CI runs; LOAD_RESTART_POSTGRES says how elsewhere), and checks that requests fail
# cleanly while it is down, succeed again after, and that no write was half done.
FAULT = os.environ.get("LOAD_FAULT", "")
FAULT_RESULTS = Path(__file__).with_name("LOAD-RESTART.md")
RESTART_POSTGRES = os.environ.get(
    "LOAD_RESTART_POSTGRES",
    "pg_ctlcluster --skip-systemctl-redirect"
    " $(ls /etc/postgresql | sort -V | tail -1) main restart",
)
RECOVERY_SECONDS = 10
LOGGED_SUMMARY = "Caught up about the market and their plans for next year."  # what it logs


def _django(code: str, env: dict) -> subprocess.CompletedProcess:
    """`code` run with Django set up, against the load test's database and settings."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def _recruiters(env: dict) -> tuple[list[str], str, str]:
    """The generated recruiters, each given the run's password (one hash for all); how
    much data there is and the machine, as `make bench` reports them."""
    code = (
        "from django.contrib.auth.hashers import make_password\n"
        "from accounts.models import Role, User\n"
        "from bench.pages import machine, scale\n"
        "users = User.objects.filter(role=Role.RECRUITER, username__startswith='bench-')\n"
        f"users.update(password=make_password({PASSWORD!r}))\n"
        "print(','.join(users.order_by('username').values_list('username', flat=True)))\n"
        "print(scale())\n"
        "print(machine())\n"
    )
    out = _django(code, env)
    if out.returncode != 0 or not out.stdout.strip():
        sys.exit(f"No generated recruiters: run `make bench` first.\n{out.stderr}")
    names, scale, machine = out.stdout.strip().split("\n")
    return names.split(","), scale, machine


def _wait_for(url: str, seconds: int = 30) -> None:
    for _ in range(seconds * 4):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.25)
    sys.exit(f"gunicorn did not answer at {url}")


def _rows(path: Path | str) -> list[dict[str, str]]:
    """One of Locust's CSV files."""
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def _report(stats: Path, machine: str, scale: str) -> tuple[str, int]:
    rows = _rows(stats)
    every = next(row for row in rows if row["Name"] == "Aggregated")
    measured = int(every["Request Count"]) / max(float(every["Requests/s"]), 0.001)
    lines = [
        "# Load test results",
        "",
        f"Run on {time.strftime('%-d %B %Y')}: {machine}. Data: {scale}"
        " (`manage.py generate_network`).",
        f"gunicorn ({WORKERS} sync workers) and Locust on the same machine, loopback;"
        f" {USERS} recruiters at once, each waiting 1 to 3 s between clicks, measured for"
        f" the {measured:.0f} s after the last of them had signed in.",
        "",
        "| request | count | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row["Request Count"] == "0":  # signing in, before the figures were reset
            continue
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} |"
            f" {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    return "\n".join(lines) + "\n", int(every["Failure Count"])


def main() -> None:
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        sys.exit("make load measures PostgreSQL: set DATABASE_URL to the bench's database.")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.load_settings", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=env, check=True
    )
    if FAULT not in ("", "postgres"):
        sys.exit(f"LOAD_FAULT={FAULT}: the one fault is postgres")
    usernames, scale, machine = _recruiters(env)
    restart = None
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "netlog.wsgi:application",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={WORKERS}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_for(f"http://127.0.0.1:{PORT}/accounts/login/")
        prefix = ROOT / "var" / ("load-restart" if FAULT else "load")
        for old in prefix.parent.glob(f"{prefix.name}_*.csv"):  # never report a past run
            old.unlink()
        locust = subprocess.Popen(
            [
                str(bin_dir / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                f"--users={USERS}",
                f"--spawn-rate={USERS}",
                f"--run-time={SECONDS + SIGN_IN_SECONDS}s",
                f"--host=http://127.0.0.1:{PORT}",
                f"--csv={prefix}",
                "--only-summary",
                "--csv-full-history",
                "--loglevel=WARNING",
            ],
            env={
                **env,
                "LOAD_USERNAMES": ",".join(usernames),
                "LOAD_USER_COUNT": str(USERS),
                "LOAD_PASSWORD": PASSWORD,
            },
            cwd=ROOT,
        )
        restart = _restart_postgres_midway() if FAULT else None
        locust.wait()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    if not Path(f"{prefix}_stats.csv").exists():
        sys.exit("Locust wrote no figures: see its error above")
    text, errors = _report(Path(f"{prefix}_stats.csv"), machine, scale)
    if restart is None:
        RESULTS.write_text(text)
        print(text)
        if errors:
            sys.exit(f"{errors} requests failed: see {prefix}_failures.csv")
        return
    slowest = max(float(row["Max Response Time"]) for row in _rows(f"{prefix}_stats.csv"))
    verdict, ok = _after_restart(Path(f"{prefix}_stats_history.csv"), restart, env, slowest)
    text = text.replace("# Load test results", "# Load test results: PostgreSQL restarted")
    FAULT_RESULTS.write_text(f"{text}\n{verdict}\n")
    print(text, verdict, sep="\n")
    if not ok:
        sys.exit("PostgreSQL's restart was not survived cleanly: see above")


def _restart_postgres_midway() -> tuple[float, float]:
    """Restart the database server once everyone is in and a third of the measured time
    has passed; returns when the restart began and ended (epoch seconds)."""
    time.sleep(SIGN_IN_SECONDS + SECONDS / 3)
    began = time.time()
    subprocess.run(RESTART_POSTGRES, shell=True, check=True)
    return began, time.time()


def _after_restart(
    history: Path, restart: tuple[float, float], env: dict, slowest_ms: float
) -> tuple[str, bool]:
    """Every failure fell while the server was down or in the few seconds after (the
    connections it had dropped), requests succeeded again, and no write was half done:
    every activity the load test logged has its contact, and the per-day counts the
    receivers keep (reviews.ActivityDay) match the log."""
    began, ended = restart
    failures, last_total = [], 0
    for row in _rows(history):
        if row["Name"] != "Aggregated":
            continue
        total = int(row["Total Failure Count"])
        if total > last_total:
            failures.append(int(row["Timestamp"]))
        last_total = total
    late = [t for t in failures if not began - 1 <= t <= ended + RECOVERY_SECONDS]
    code = (
        "from django.db.models import Count\n"
        "from contacts.models import Activity\n"
        "from reviews.summary import activity_days_recount\n"
        f"logged = Activity.objects.filter(summary={LOGGED_SUMMARY!r})\n"
        "orphans = logged.annotate(n=Count('contacts')).filter(n=0).count()\n"
        "print(logged.count(), orphans, activity_days_recount())\n"
    )
    out = _django(code, env)
    out.check_returncode()
    logged, orphans, miscounted = (int(n) for n in out.stdout.split())
    ok = not late and not orphans and not miscounted
    verdict = "\n".join(
        [
            "## PostgreSQL restarted under load",
            "",
            "The database server was restarted a third of the way into the measured run"
            f" (`{RESTART_POSTGRES}`, {ended - began:.1f} s). Requests failed in"
            f" {len(failures)} second(s) of the run, {len(late)} of them outside the restart"
            f" and the {RECOVERY_SECONDS} s after it: {last_total} requests in all, each"
            " answered with the error page; every other request succeeded, and none took"
            f" longer than {slowest_ms / 1000:.1f} s.",
            f"No partial writes: {logged} activities logged in all, {orphans} without"
            f" their contact; {miscounted} day counts that did not match the log.",
        ]
    )
    return verdict, ok


if __name__ == "__main__":
    main()
