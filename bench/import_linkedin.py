"""Benchmark: importing LinkedIn's Connections.csv at 1,000, 10,000 and 30,000 rows
(LinkedIn's connection limit), through the real upload, preview and commit, against
whatever database DATABASE_URL names (SQLite by default). Reports the time of each
step, the queries, and the peak memory above the process's baseline, each size in a
fresh process. Nothing is kept: every run is rolled back.

    make bench                      # or: .venv/bin/python -m bench.import_linkedin

Budget (issue 6): 30,000 rows in seconds, not minutes, and memory that does not grow
with the file beyond the file itself and a few small keys per row. Measured on the
2-core CI machine against PostgreSQL (2026-11-26): 30,000 rows in 9.2 s (preview 4.4 s,
commit 4.7 s, 96 queries); Python's peak 33 MB, most of it the upload's one INSERT of
the file, the rest the duplicate keys (a few MB); reading and importing stream in
batches of a thousand rows.
"""

import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc

SIZES = [1_000, 10_000, 30_000]
HELD = 2_000  # contacts the recruiter has already; every 20th row of the file is one


def _rows(count: int):
    """LinkedIn-like rows: mostly empty emails, companies with commas, dates."""
    for n in range(count):
        held = n % 20 == 0 and n // 20 < HELD
        yield [
            f"First{n}",
            f"Last{n}",
            f"https://www.linkedin.com/in/person-{n}",
            f"held{n}@example.com" if held else (f"p{n}@example.com" if n % 5 == 0 else ""),
            f"Company {n % 700}, Ltd",
            "Senior Data Engineer",
            f"{n % 28 + 1} Mar 2024",
        ]


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux


def one(count: int, *, memory: bool = False) -> dict:
    """One import of `count` rows: timed, or (`memory`) traced by tracemalloc, which
    slows Python down too much to time the same run."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.db import connection, transaction

    from accounts.models import Role, User
    from contacts.models import Contact
    from imports import services
    from imports.models import Batch, Status
    from tests.imports.files import linkedin_csv

    result: dict = {"rows": count, "database": connection.vendor}

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            owner = User.objects.create(username="bench-importer", role=Role.RECRUITER)
            Contact.objects.bulk_create(
                Contact(
                    owner=owner,
                    first_name=f"Held{n}",
                    kind="candidate",
                    email=f"held{n * 20}@example.com",
                )
                for n in range(HELD)
            )
            data = linkedin_csv(_rows(count))
            result["file_mb"] = round(len(data) / 1e6, 2)
            baseline = _peak_kb()
            if memory:
                tracemalloc.start()
            steps = {}
            queries = []  # counted, not kept: the SQL of bulk inserts is megabytes

            def count(execute, sql, params, many, context):
                queries.append(1)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                started = time.perf_counter()
                batch = services.upload(
                    owner=owner,
                    source="linkedin",
                    kind="candidate",
                    channel="linkedin",
                    file_name="Connections.csv",
                    data=data,
                )
                steps["upload"] = time.perf_counter() - started
                started = time.perf_counter()
                services.preview(batch_id=batch.pk)
                steps["preview"] = time.perf_counter() - started
                batch = Batch.objects.get(pk=batch.pk)
                assert batch.status == Status.READY, batch.problems
                started = time.perf_counter()
                services.commit_request(batch=batch)
                services.commit(batch_id=batch.pk)
                steps["commit"] = time.perf_counter() - started
            batch = Batch.objects.get(pk=batch.pk)
            assert batch.status == Status.DONE, batch.problems
            result.update(
                {name: round(seconds, 2) for name, seconds in steps.items()},
                total_s=round(sum(steps.values()), 2),
                created=batch.created,
                merged=batch.merged,
                queries=len(queries),
                rss_mb_above_baseline=round((_peak_kb() - baseline) / 1024, 1),
            )
            if memory:
                result["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
                tracemalloc.stop()
            raise Rollback
    except Rollback:
        pass
    return result


def _run(count: int, *flags: str) -> dict:
    command = [sys.executable, "-m", "bench.import_linkedin", "--one", str(count), *flags]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    if "--one" in sys.argv:
        count = int(sys.argv[sys.argv.index("--one") + 1])
        print(json.dumps(one(count, memory="--memory" in sys.argv)))
        return
    print(
        "rows    file MB  upload  preview  commit  total s  queries  RSS MB  Python MB"
        "  created  merged"
    )
    for count in SIZES:
        r = _run(count)
        traced = _run(count, "--memory")
        print(
            f"{r['rows']:<7} {r['file_mb']:>7}  {r['upload']:>6}  {r['preview']:>7}  "
            f"{r['commit']:>6}  {r['total_s']:>7}  {r['queries']:>7}  "
            f"{r['rss_mb_above_baseline']:>6}  {traced['python_peak_mb']:>9}  "
            f"{r['created']:>7}  {r['merged']:>6}"
        )
    print(
        f"database: {r['database']}. RSS: the process's peak above its baseline (the "
        "database driver's buffers included); Python: tracemalloc's peak, in a second run."
    )


if __name__ == "__main__":
    main()
