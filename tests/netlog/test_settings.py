"""The settings module read with different environments, in a fresh interpreter each
time (settings are read once per process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, netlog.settings as s; print(json.dumps({"
    "'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'debug': s.DEBUG,"
    "'email': s.EMAIL_BACKEND, 'hosts': s.ALLOWED_HOSTS}))"
)


CONFIG = {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
CONFIG |= {"DATABASE_JIT"}


def bare_environment() -> dict[str, str]:
    """This process's environment without any of netlog's settings (or the test ones)."""
    env = {k: v for k, v in os.environ.items() if k not in CONFIG}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def read_settings(**env: str) -> subprocess.CompletedProcess:
    return run(PROBE, **env)


def test_with_no_configuration_but_debug_it_runs_the_embedded_demo():
    result = read_settings(DEBUG="1")
    settings = json.loads(result.stdout)
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["name"].endswith("var/netlog.sqlite3")
    assert settings["eager"] is True
    assert settings["email"].endswith("console.EmailBackend")


def test_database_and_redis_urls_switch_to_postgresql_and_a_real_broker():
    result = read_settings(
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="netlog.example",
        DATABASE_URL="postgres://netlog:pw@db:5432/netlog",
        REDIS_URL="redis://redis:6379/0",
        EMAIL_URL="smtp://user:pw@mail.example:587/?tls=True",
    )
    settings = json.loads(result.stdout)
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["eager"] is False
    assert settings["broker"] == "redis://redis:6379/0"
    assert settings["email"].endswith("smtp.EmailBackend")
    assert settings["hosts"] == ["netlog.example"]
    assert settings["debug"] is False


OPTIONS_PROBE = (
    "import json, netlog.settings as s; "
    "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
)


def _pg_options(**env: str) -> dict:
    url = env.pop("DATABASE_URL", "postgres://netlog:pw@db:5432/netlog")
    result = run(OPTIONS_PROBE, SECRET_KEY="s" * 50, DATABASE_URL=url, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_connections_turn_jit_off_after_any_options_of_the_url():
    assert _pg_options()["options"] == "-c jit=off"
    url = "postgres://netlog:pw@db:5432/netlog?options=-c%20statement_timeout%3D5000"
    options = _pg_options(DATABASE_URL=url)["options"]
    assert options == "-c statement_timeout=5000 -c jit=off"


def test_database_jit_leaves_the_connection_options_alone():
    assert "options" not in _pg_options(DATABASE_JIT="1")


def test_sqlite_gets_no_postgresql_options():
    assert "options" not in json.loads(run(OPTIONS_PROBE, DEBUG="1").stdout)


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**bare_environment(), **env},
        capture_output=True,
        text=True,
    )


def test_production_without_a_secret_key_refuses_to_serve():
    result = run("import netlog.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_commands_that_sign_nothing_run_without_any_configuration():
    # Checks outside the suite run `manage.py makemigrations --check` on a bare clone.
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=bare_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_a_bad_boolean_refuses_to_start():
    result = read_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr
