# Riposte's production image: gunicorn serving the app as an unprivileged user.
# Static files are collected (hashed and precompressed) at build time; migrations run in
# the one-shot `migrate` service of docker-compose.yml, never in the web container.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000
WORKDIR /app

# Dependencies first, so a code change reuses this layer. Every dependency ships a
# wheel (psycopg[binary], Pillow, lxml, nh3), so no compiler is installed.
COPY pyproject.toml README.md ./
RUN pip install .

COPY manage.py ./
COPY config ./config
COPY accounts ./accounts
COPY blog ./blog
COPY comments ./comments
COPY imports ./imports
COPY jobs ./jobs
COPY templates ./templates
COPY static ./static

# Placeholder secrets: collectstatic only reads settings, it never connects anywhere.
RUN DJANGO_SECRET_KEY=collectstatic-only DATABASE_URL=postgres://unused/unused \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin riposte \
    && mkdir -p /app/media /srv/static \
    && chown riposte /app/media /srv/static
USER riposte

EXPOSE 8000
# /healthz: 200 while the database and the job queue answer (README "Health probes").
# Any answer below 500 counts as alive.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import http.client, os, sys; c = http.client.HTTPConnection('127.0.0.1', int(os.environ.get('PORT', '8000')), timeout=4); c.request('GET', os.environ.get('RIPOSTE_HEALTH_PATH', '/healthz'), headers={'Host': 'localhost'}); sys.exit(c.getresponse().status >= 500)"]

# Exec form: gunicorn is PID 1 and gets the stop signal itself. Its heartbeat files go to
# memory (/dev/shm), since a container's /tmp may sit on a slow overlay filesystem.
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "--worker-tmp-dir", "/dev/shm", "config.wsgi"]
