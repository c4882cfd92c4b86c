"""Jobs of imports: thin entry points that take an id and call a service. The file
itself never travels in a task's arguments: it waits in the database."""

from celery import shared_task

from imports import services
from netlog.jobs import once_a_day


@shared_task(acks_late=True)
def preview(batch_id: int) -> None:
    services.preview(batch_id=batch_id)


@shared_task(acks_late=True)
def commit(batch_id: int) -> None:
    services.commit(batch_id=batch_id)


@shared_task(acks_late=True)
@once_a_day
def expire_imports() -> int:
    return services.expire()
