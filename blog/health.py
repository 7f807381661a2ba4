"""Health probes: `/healthz` (the parts the site needs answer) and `/readyz` (ready to serve).

Both answer JSON with 200 or 503, are never cached, set no cookie and read no
session. `HealthProbeMiddleware` answers them ahead of every other middleware,
so a load balancer or Docker probing `http://127.0.0.1:8000/healthz` is neither
refused by ALLOWED_HOSTS (which stays strict for every other path: nothing in
these answers is built from the Host header) nor redirected to HTTPS.

- `/healthz`: the database answers, and the job queue's table when one is
  installed (only that it can be read: a stopped worker is not a reason to
  take an app server out of rotation). The cache is reported, never fatal:
  the site serves without Redis (blog/cache_backend.py).
- `/readyz`: the database answers and every migration is applied.
"""

import logging

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("riposte.health")

# Tables of the PostgreSQL job queues the site may run on (procrastinate, django-tasks).
JOB_TABLES = ("procrastinate_jobs", "django_tasks_database_dbtaskresult")

_migrations_applied = False  # once true in a process, it stays true until new code ships


def database_status() -> str:
    """ "ok" when the database answers a query, else "unreachable"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: the database does not answer (%s).", error)
        return "unreachable"
    return "ok"


def jobs_status() -> str:
    """ "ok" when the job queue's table can be read, "not installed" without one, else an error."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NOT NULL",
                [list(JOB_TABLES)],
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:  # names from JOB_TABLES, never from the request
                query = f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1"  # noqa: S608
                cursor.execute(query)
                cursor.fetchall()
    except DatabaseError as error:
        logger.warning("Health check: the job queue's table cannot be read (%s).", error)
        return "unreachable"
    return "ok" if tables else "not installed"


def cache_status() -> str:
    """ "ok" when Redis answers, "unreachable" when the site runs without it, or the local kind."""
    backend = caches["default"]
    if hasattr(backend, "is_reachable"):
        return "ok" if backend.is_reachable() else "unreachable (serving without it)"
    return f"local ({type(backend).__name__})"


def migrations_status() -> str:
    """ "applied" when the database has every migration the code has, else how many it lacks."""
    global _migrations_applied
    if _migrations_applied:
        return "applied"
    try:
        executor = MigrationExecutor(connection)
        missing = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError as error:
        logger.warning("Readiness check: the applied migrations cannot be read (%s).", error)
        return "unknown"
    _migrations_applied = missing == 0
    return "applied" if missing == 0 else f"{missing} unapplied"


def healthz(request):
    """Whether this app server can do its work: database and job queue; the cache reported."""
    checks = {"database": database_status()}
    if checks["database"] == "ok":
        checks["jobs"] = jobs_status()
    checks["cache"] = cache_status()
    healthy = checks["database"] == "ok" and checks["jobs"] != "unreachable"
    return _answer({"status": "ok" if healthy else "failing", **checks}, healthy)


def readyz(request):
    """Whether this app server may receive traffic: database answers, migrations applied."""
    checks = {"database": database_status()}
    if checks["database"] == "ok":
        checks["migrations"] = migrations_status()
    ready = checks.get("migrations") == "applied"
    return _answer({"status": "ready" if ready else "not ready", **checks}, ready)


def _answer(body: dict, ok: bool) -> JsonResponse:
    response = JsonResponse(body, status=200 if ok else 503)
    add_never_cache_headers(response)
    return response


class HealthProbeMiddleware:
    """First in MIDDLEWARE: answers the probe paths before host checks, redirects or sessions."""

    views = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.views.get(request.path_info)
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request)
