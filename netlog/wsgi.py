import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netlog.settings")
application = get_wsgi_application()

# Fail at start-up rather than at the first request when production has no SECRET_KEY:
# Django validates the setting when it is first read.
settings.SECRET_KEY  # noqa: B018
