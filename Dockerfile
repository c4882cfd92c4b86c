# netlog production image: gunicorn serving netlog.wsgi, static files served by
# WhiteNoise from a collectstatic run at build time. The same image runs the Celery
# worker and beat (see docker-compose.yml). Configuration comes from the environment
# at run time (see .env.example); nothing secret is baked in.

# --- Front-end assets: Bootstrap and bootstrap-icons from the npm registry ---------
FROM node:22-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- The application ----------------------------------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Pango, HarfBuzz's subsetter and a font, which WeasyPrint needs for the portfolio PDF.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Runtime packages only (not requirements-dev.txt), every version pinned by constraints.txt.
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt
# Fail the build, not the first job, if a runtime import is missing from requirements.txt
# (the dev packages that make `make test` pass are not installed here).
RUN python -c "import gunicorn, psycopg2, celery, kombu.transport.redis, django_celery_beat, weasyprint"

# settings.STATICFILES_DIRS reads these two folders from node_modules/.
COPY --from=assets /src/node_modules/bootstrap/dist node_modules/bootstrap/dist
COPY --from=assets /src/node_modules/bootstrap-icons/font node_modules/bootstrap-icons/font

COPY . .

# collectstatic signs nothing, so it needs no SECRET_KEY (settings leave it empty when
# unset; the web process refuses to start without one, see netlog/wsgi.py).
RUN python manage.py collectstatic --noinput

RUN groupadd --system --gid 10001 netlog \
    && useradd --system --uid 10001 --gid netlog --no-create-home --home-dir /app netlog
USER netlog:netlog

EXPOSE 8000

# Access log: method, path (%(U)s, no query string: searches can hold people's names),
# status, size, duration. No client address, referrer (it carries query strings too)
# or user agent. Worker count: set WEB_CONCURRENCY (gunicorn reads it; default 1).
# No control socket: it would need a writable $HOME, and nothing here uses gunicornc.
CMD ["gunicorn", "netlog.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--no-control-socket", \
     "--access-logfile", "-", \
     "--access-logformat", "%(t)s %(m)s %(U)s %(H)s %(s)s %(b)s %(M)sms"]
