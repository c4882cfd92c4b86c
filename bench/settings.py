"""Settings for the benchmarks: production's (DEBUG off, so no query log in memory),
with static files read from their folders instead of collectstatic's manifest, and
no HTTPS redirect for the test client. The test client's host is allowed here rather
than through setup_test_environment(), which would also instrument every template
render (a copy of each context for the test client): a cost production never pays."""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only")

from netlog.settings import *  # noqa: E402,F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SECURE_SSL_REDIRECT = False
WHITENOISE_USE_FINDERS = True  # no collectstatic folder either
ALLOWED_HOSTS = ["testserver"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the reminders job sends
