"""netlog settings, read from the environment (see .env.example and the README).

With no configuration at all netlog runs as a local demo: SQLite in var/, jobs run
in-process, e-mail printed to the console. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL.
"""

import datetime
from pathlib import Path

import dj_database_url
import dj_email_url

from netlog.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = envbool("DEBUG", False)

# Left empty in production when unset: Django then refuses at its first use (netlog.wsgi
# makes that start-up), while commands that sign nothing (makemigrations, check) run.
SECRET_KEY = envstr("SECRET_KEY") or (
    "insecure-local-demo-key-never-use-in-production" if DEBUG else ""
)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "axes",
    "csp",
    "accounts",
    "contacts",
    "consent",
    "reviews",
    "privacy",
    "portfolio",
    "imports",
    "takeout",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, the first to read a POST body: refuses one over its view's limit unread.
    "netlog.uploads.BodySizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "netlog.access.AssessorScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "netlog.sessions.SessionLimitsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in goes through django-axes first, which refuses a locked-out username and
# address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "netlog.urls"
WSGI_APPLICATION = "netlog.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["netlog.formats"],  # `day`, in every template
        },
    },
]

# Database: PostgreSQL from DATABASE_URL in production and CI; SQLite in var/ otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'netlog.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60, min_value=0),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT compiles any query its planner costs high, which on this app's
# aggregates (a recruiter's year of activity) took longer than running it: 117 ms of a
# 250 ms query. It pays off for long analytical queries, which we don't run. Added to
# any `options` the URL gives; DATABASE_JIT=1 leaves it on (for a pooler that refuses
# startup parameters, such as PgBouncer by default).
_postgresql = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if _postgresql and not envbool("DATABASE_JIT", False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# UK English and UK dates (25 Nov 2026; forms accept 25/11/2026 and ISO dates).
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from the npm registry at set-up (package.json) and are
# served by the app itself: no page of netlog makes a third-party request.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Local demo: serve static files straight from the finders, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True), else the console.
EMAIL_URL = envstr("EMAIL_URL")
if EMAIL_URL:
    vars().update(dj_email_url.parse(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Where links in emails point.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "netlog <netlog@localhost>")

# Jobs: Celery on Redis when REDIS_URL is set; otherwise tasks run in-process.
REDIS_URL = envstr("REDIS_URL")

# The cache (rate limits on public pages) is shared through Redis when there is one.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Redis unreachable: fail in a second (the callers carry on without it).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Results say only "done" (ids and counts); keep them a day, not forever.
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat answers `celery inspect ping` as celerybeat@host, and stops answering when its
# scheduler has not ticked for twice its interval: the beat container's health check.
CELERY_BEAT_ENABLE_REMOTE_CONTROL = True
CELERY_TIMEZONE = TIME_ZONE

# Flash messages live in the session, not in a cookie the browser keeps.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sessions end after SESSION_IDLE_SECONDS without a request, and SESSION_COOKIE_AGE
# after signing in however busy; a deactivated account's at its next request
# (netlog.sessions).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60, min_value=60)
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 30 * 60, min_value=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# Over HTTPS the cookies carry the __Host- prefix: the browser keeps them only if they
# are Secure, for the whole site and this host alone (no Domain), so a sibling
# subdomain can neither read nor plant them. The local demo serves plain HTTP.
if not DEBUG:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# HSTS: a year, subdomains included, and the preload flag; SECURE_HSTS_SECONDS=0 turns it
# off (first deploys on a new domain may start lower, as Django's docs advise).
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): the app's own files only, no inline script or
# style, no plugins, no <base>, never in a frame. Bootstrap's CSS draws a few icons as
# data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Sign-in throttling (django-axes): AXES_FAILURE_LIMIT wrong passwords for one username
# from one address lock that pair out for AXES_COOLOFF_MINUTES; a right password
# resets the count. Records are kept only as long as the lock-out lasts, nothing is
# kept of successful sign-ins, and axes logs nothing (its messages name the user).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, min_value=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15, min_value=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address the reverse proxy saw, as the public pages' rate limits read it: behind
# the proxy every request comes from the proxy's own address.
AXES_CLIENT_IP_CALLABLE = "netlog.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Logs carry no personal data: requests are logged by path only (see the README).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO, and its warnings can quote the
    # pack's text (people's names): only its errors are logged.
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "axes": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

NETLOG_PAGE_SIZE = envint("NETLOG_PAGE_SIZE", 50, min_value=1)
# The largest file an import takes. LinkedIn's 30,000 connections are about 4 MB.
IMPORT_MAX_MB = envint("IMPORT_MAX_MB", 20, min_value=1)
# Consent is refreshed on this cadence; expired consent counts as no consent.
CONSENT_VALID_MONTHS = envint("CONSENT_VALID_MONTHS", 24, min_value=1)
# The key of the suppression list's keyed hashes (HMAC). Rotating it forgets everyone on
# the list, so it can be kept apart from SECRET_KEY (used when this is empty).
SUPPRESSION_KEY = envstr("SUPPRESSION_KEY")
# The key of testimonies' checksums (HMAC). Changing it makes every testimony read as
# altered, so it too can be kept apart from SECRET_KEY (used when this is empty).
EVIDENCE_KEY = envstr("EVIDENCE_KEY")
