"""A job's progress where its page can read it while the job's transaction is still
open (a row updated inside that transaction is invisible until it commits): the
cache, Redis in production, shared by the web and the workers."""

from django.core.cache import cache
from django.http import JsonResponse

KEPT_SECONDS = 60 * 60


def _key(name: str, pk: int) -> str:
    return f"netlog:progress:{name}:{pk}"


def set_progress(name: str, pk: int, percent: int) -> None:
    cache.set(_key(name, pk), max(0, min(100, int(percent))), KEPT_SECONDS)


def get_progress(name: str, pk: int, default: int = 0) -> int:
    return cache.get(_key(name, pk), default)


def job_status(*, status: str, label: str, progress: int, finished: bool) -> JsonResponse:
    """What static/netlog/progress.js polls on a job's page, never cached."""
    return JsonResponse(
        {"status": status, "label": label, "progress": progress, "finished": finished},
        headers={"Cache-Control": "no-store"},
    )
