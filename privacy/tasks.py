"""Jobs: thin entry points that take ids and call a service. Both are idempotent, so
a redelivered message (acks_late) or a retry is harmless."""

from celery import shared_task
from django.utils import timezone

from netlog.jobs import once_a_day
from privacy import services


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def erase(request_id: int) -> int | None:
    """Carry out an approved erasure request; returns the erasure record's id."""
    record = services.erasure_carry_out(request_id=request_id)
    return record.pk if record else None


@shared_task(acks_late=True)
@once_a_day
def retention_daily() -> dict[str, int]:
    """The daily retention run (scheduled by the privacy app's migration)."""
    plan = services.retention_run(today=timezone.localdate())
    return {
        "warned": len(plan.warn),
        "erased": len(plan.erase) - len(plan.failed),
        "cancelled": len(plan.cancel),
        "failed": len(plan.failed),
    }
