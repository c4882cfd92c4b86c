"""A beat scheduler started twice, or a message delivered twice: no daily job runs
twice (netlog.jobs.once_a_day). The claims live in the real Redis that CI runs (a
database of its own, emptied around each test), as they do in production."""

import threading
import time
import uuid

import pytest
from django.core.cache import caches
from django.utils import timezone
from django.utils.module_loading import import_string
from django_celery_beat.models import PeriodicTask

from netlog import jobs

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    cache = caches["default"]
    try:
        cache.set("ping", 1)
    except Exception:
        pytest.fail(f"Redis is not answering at {REDIS}: start it (CI does)")
    yield cache
    cache.clear()
    cache.close()


def _job(runs: list, *, seconds: float = 0.0, fail: bool = False):
    @jobs.once_a_day
    def nightly():
        runs.append(threading.get_ident())
        time.sleep(seconds)
        if fail:
            raise RuntimeError("the job failed")
        return "done"

    return nightly


def test_two_runs_at_once_do_the_work_once(redis_cache):
    runs = []
    nightly = _job(runs, seconds=0.3)
    results = []
    threads = [threading.Thread(target=lambda: results.append(nightly())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(runs) == 1
    assert len(results) == 2 and set(results) == {"done", None}


def test_a_run_later_the_same_day_does_nothing(redis_cache):
    runs = []
    nightly = _job(runs)

    assert nightly() == "done"
    assert nightly() is None
    assert len(runs) == 1


def test_a_failed_run_gives_the_day_back_for_a_retry(redis_cache):
    runs = []
    with pytest.raises(RuntimeError):
        _job(runs, fail=True)()

    assert _job(runs)() == "done"
    assert len(runs) == 2


def test_the_next_day_runs_again(redis_cache, monkeypatch):
    runs = []
    nightly = _job(runs)
    nightly()
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    monkeypatch.setattr(jobs.timezone, "localdate", lambda: tomorrow)

    assert nightly() == "done"
    assert len(runs) == 2


def test_a_run_whose_worker_died_is_taken_over_once_its_claim_lapses(redis_cache, monkeypatch):
    monkeypatch.setattr(jobs, "CLAIM_RUNNING_SECONDS", 1)
    runs = []
    nightly = _job(runs)
    key_day = timezone.localdate().isoformat()
    # A worker claimed the day, then died (its claim is all that is left of it).
    redis_cache.add(f"netlog:job-day:{nightly.__module__}.nightly:{key_day}", "running", 1)
    assert nightly() is None
    time.sleep(1.2)

    assert nightly() == "done"


def test_without_the_cache_the_job_still_runs(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: connection refused
        }
    }
    runs = []
    assert _job(runs)() == "done"
    caches["default"].close()


@pytest.mark.django_db
def test_every_scheduled_job_is_guarded():
    """A job added to the beat schedule later must be once_a_day too."""
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    assert scheduled  # the migrations schedule the daily jobs
    for name in scheduled:
        assert getattr(import_string(name).run, "once_a_day", False), name


class _Message:
    def __init__(self, message_id):
        self.request = type("Request", (), {"id": message_id})()


def test_the_same_message_redelivered_takes_its_claim_over(redis_cache, monkeypatch):
    """The worker died mid-run; Celery delivers the same message again (acks late): it
    must run, not find its own claim and give up for the day. A second beat's message
    (another id) still does not."""
    runs = []
    nightly = _job(runs)
    key = f"netlog:job-day:{nightly.__module__}.nightly:{timezone.localdate().isoformat()}"
    redis_cache.add(key, "running:message-1", 60)  # what the dead worker left

    monkeypatch.setattr(jobs, "current_task", _Message("message-2"))
    assert nightly() is None
    monkeypatch.setattr(jobs, "current_task", _Message("message-1"))
    assert nightly() == "done"
    assert len(runs) == 1
