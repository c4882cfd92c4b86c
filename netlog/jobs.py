"""Jobs: sending one to the worker once the transaction that asked for it has
committed (so the worker never looks for a row that is not there yet), and running a
scheduled one once a day (`once_a_day`).

If the broker cannot take the job (Redis down or unreachable), the job is not lost in
silence: `unsent()` records that it never started, so its page says so instead of
waiting for ever, and may raise to tell the user at once. Without Redis (the local
demo) jobs run in-process: an error there is logged, as a robust on_commit would, and
the job's own status says that it failed. Logs name the job and the row id only.
"""

import functools
import logging
from collections.abc import Callable

from celery import Task, current_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def send_on_commit(task: Task, object_id: int, *, unsent: Callable[[], None]) -> None:
    def send() -> None:
        try:
            task.delay(object_id)
        except OperationalError:
            logger.exception("Job %s for %s could not be queued", task.name, object_id)
            unsent()
        except Exception:
            logger.exception("Job %s for %s failed", task.name, object_id)

    transaction.on_commit(send)


# A daily job's claim on its day: held while it runs, then kept for the rest of the day.
CLAIM_RUNNING_SECONDS = 3 * 60 * 60  # a run that died is taken over after this
CLAIM_DONE_SECONDS = 26 * 60 * 60  # past the day's end, whatever the clocks do


def _quietly(call: Callable, *args, **kwargs) -> None:
    """A cache write after the job: if the cache is not answering, the job's own result
    or error is what matters (the claim then lapses on its own)."""
    try:
        call(*args, **kwargs)
    except Exception:
        logger.warning("A daily job's claim was not updated: the cache is not answering")


def once_a_day(job: Callable) -> Callable:
    """A scheduled job runs once a day however often it is sent: by a second beat
    started by mistake, or a message delivered twice. The first run claims the day in
    the shared cache (Redis: one atomic `add` across every worker); a run that finds
    the day claimed does nothing. A run that fails gives the claim back, so a retry
    runs; one whose worker died is taken over by the same message redelivered (the
    claim holds its id), or by any run once the claim lapses. Without a shared
    cache (the local demo: no beat, jobs in-process) each process keeps its own."""
    name = f"{job.__module__}.{job.__name__}"

    @functools.wraps(job)
    def run(*args, **kwargs):
        key = f"netlog:job-day:{name}:{timezone.localdate().isoformat()}"
        # The message's id: Celery redelivers the same message when its worker died
        # (acks late), and that redelivery takes its own claim over.
        message = getattr(getattr(current_task, "request", None), "id", None)
        mine = f"running:{message}"
        try:
            claimed = cache.add(key, mine, timeout=CLAIM_RUNNING_SECONDS) or (
                message is not None and cache.get(key) == mine
            )
        except Exception:  # the cache is not answering: run (every daily job is idempotent)
            logger.warning("Job %s runs unclaimed: the cache is not answering", name)
            return job(*args, **kwargs)
        if not claimed:
            logger.info("Job %s already ran or is running today: not run again", name)
            return None
        try:
            result = job(*args, **kwargs)
        except BaseException:
            _quietly(cache.delete, key)
            raise
        _quietly(cache.set, key, "done", timeout=CLAIM_DONE_SECONDS)
        return result

    run.once_a_day = True
    return run
