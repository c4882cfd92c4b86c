"""Jobs of the accounts app."""

from importlib import import_module

from celery import shared_task
from django.conf import settings

from netlog.jobs import once_a_day


@shared_task(acks_late=True)
@once_a_day
def clear_expired_sessions() -> None:
    """Delete expired sessions (Django's clearsessions): signed-out visitors, such as a
    witness who opened a testimony link, each leave a session row behind."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
