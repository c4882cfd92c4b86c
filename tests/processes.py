"""For tests that run part of netlog as a process of its own (a Celery worker, beat, a
killed erasure): the test database as a URL the process can open, the real Redis, and
whether this is CI, where such a test must fail rather than skip."""

import os
from urllib.parse import quote

import pytest
import redis
from django.db import connection


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
