"""Settings for the load test (bench/load.py): production's, served by gunicorn over
plain HTTP on the loopback interface, so the cookies are not Secure (nor __Host-):
the load generator, like a browser, sends Secure cookies only over HTTPS."""

import os

os.environ.setdefault("SECRET_KEY", "load-test-only")

from bench.settings import *  # noqa: E402,F403

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME, CSRF_COOKIE_NAME = "sessionid", "csrftoken"
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["127.0.0.1"]
