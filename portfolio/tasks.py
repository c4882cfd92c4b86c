"""Jobs of the portfolio: thin entry points that take ids and call a service."""

from celery import shared_task

from netlog.jobs import once_a_day
from portfolio import services


@shared_task(acks_late=True)
def build(export_id: int) -> None:
    services.export_build(export_id=export_id)


@shared_task(acks_late=True)
@once_a_day
def expire_exports() -> int:
    return services.exports_expire()
