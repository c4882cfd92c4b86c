"""A job's progress where its page can read it while the job's transaction is still
open (a row updated inside that transaction is invisible until it commits): the
cache, Redis in production, shared by the web and the workers. With Redis down the
bar stands still (the job's own status still says when it is done): a progress bar is
never worth an error."""

import logging

from django.core.cache import cache
from django.http import JsonResponse

logger = logging.getLogger(__name__)

KEPT_SECONDS = 60 * 60


def _key(name: str, pk: int) -> str:
    return f"netlog:progress:{name}:{pk}"


def set_progress(name: str, pk: int, percent: int) -> None:
    try:
        cache.set(_key(name, pk), max(0, min(100, int(percent))), KEPT_SECONDS)
    except Exception:  # the cache's client raises its own errors (redis.ConnectionError)
        logger.warning("Progress of %s %s not saved: the cache is not answering", name, pk)


def get_progress(name: str, pk: int, default: int = 0) -> int:
    try:
        return cache.get(_key(name, pk), default)
    except Exception:
        logger.warning("Progress of %s %s not read: the cache is not answering", name, pk)
        return default


def job_status(*, status: str, label: str, progress: int, finished: bool) -> JsonResponse:
    """What static/netlog/progress.js polls on a job's page, never cached."""
    return JsonResponse(
        {"status": status, "label": label, "progress": progress, "finished": finished},
        headers={"Cache-Control": "no-store"},
    )
