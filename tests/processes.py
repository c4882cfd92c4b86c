"""For tests that run part of netlog as a process of its own (a Celery worker, beat, a
killed erasure): the test database as a URL the process can open, the real Redis, and
whether this is CI, where such a test must fail rather than skip."""

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PROCESS_TIMEOUT = 60  # seconds; a worker or beat starts in a few


def on_ci() -> bool:
    """CI=true (GitHub, GitLab...) or any other value but an explicit false: when in
    doubt, fail rather than skip."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def skip_unless_ci(reason: str) -> None:
    if on_ci():
        pytest.fail(f"{reason} (CI is set, so this test may not be skipped)")
    pytest.skip(reason)


def redis_or_skip(url: str) -> redis.Redis:
    store = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        store.ping()
    except redis.RedisError as error:
        skip_unless_ci(f"Redis is not reachable at {url} ({error}): start redis-server")
    return store


def test_database_url() -> str:
    """The PostgreSQL test database pytest-django created (test_<name>), as a
    DATABASE_URL for another process."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    user = quote(db["USER"] or "", safe="")
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{quote(db['NAME'], safe='')}"


test_database_url.__test__ = False  # a helper, not a test, whatever its name


@contextmanager
def running(
    command: list[str], env: dict, log: Path, ready: Callable[[], object], what: str
) -> Iterator[subprocess.Popen]:
    """`command` run from the project's folder, its output in `log`, yielded once
    `ready()` is true; stopped afterwards (killed if it will not stop). Fails with the
    log if it exits or is not ready within PROCESS_TIMEOUT seconds."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + PROCESS_TIMEOUT
        while not ready():
            if process.poll() is not None:
                pytest.fail(f"{what} exited ({process.returncode}):\n{_text(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"{what} was not ready in {PROCESS_TIMEOUT} s:\n{_text(log)}")
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _text(log: Path) -> str:
    return log.read_text(errors="replace")
