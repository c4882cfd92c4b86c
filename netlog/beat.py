"""Beat's scheduler: django-celery-beat's DatabaseScheduler, with a heartbeat after
every tick it completes, for the beat container's health check (netlog.heartbeat)."""

from django_celery_beat.schedulers import DatabaseScheduler

from netlog import heartbeat


class Scheduler(DatabaseScheduler):
    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        heartbeat.beat()
        return interval
