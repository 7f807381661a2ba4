"""Running queued jobs inside a test: the worker's own code, in the test's transaction.

`run_jobs()` runs procrastinate's worker until the queue holds nothing due, as
`manage.py procrastinate worker` would, except that it talks to the database through
the test's connection (so it sees the test's uncommitted rows, and what it writes is
rolled back with the test) and runs each job in this thread. It returns the number of
jobs it finished.
"""

import asyncio
import contextlib
import json
from unittest import mock

from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector


class _TestConnector(DjangoConnector):
    """Django's connection, with the jobs' JSON arguments decoded as the worker's connector does.

    Django reads jsonb columns as text and leaves decoding to its model fields.
    """

    def _dictfetch(self, cursor):
        for row in super()._dictfetch(cursor):
            if isinstance(row.get("args"), str):
                row["args"] = json.loads(row["args"])
            yield row


async def _in_this_thread(func, *args, **kwargs):
    # async_to_sync runs the loop in a helper thread; thread-sensitive calls come back here,
    # to the thread that owns the test's connection.
    return await sync_to_async(func, thread_sensitive=True)(*args, **kwargs)


async def _no_schedule(self):
    # The schedule would defer digests and cleanups at whatever minute the test runs.
    await asyncio.Event().wait()


def run_jobs(*, include_periodic: bool = False) -> int:
    """Run every job that is due now; the number of jobs finished (succeeded or failed)."""
    finished = _count_finished()
    patches = [mock.patch("procrastinate.utils.sync_to_async", _in_this_thread)]
    if not include_periodic:
        patches.append(mock.patch("procrastinate.worker.Worker._periodic_deferrer", _no_schedule))
    with contextlib.ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        stack.enter_context(app.replace_connector(_TestConnector()))
        async_to_sync(app.run_worker_async)(
            wait=False,
            listen_notify=False,
            install_signal_handlers=False,
            # Django's per-task connection cleanup would close the test's connection.
            task_middleware=[],
            delete_jobs="never",
        )
    return _count_finished() - finished


def _count_finished() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('succeeded', 'failed')"
        )
        return cursor.fetchone()[0]


def queued(task_name: str | None = None) -> list[dict]:
    """Jobs waiting to run (status todo), oldest first, as {task, args}."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, args FROM procrastinate_jobs WHERE status = 'todo' "
            "AND (%s::text IS NULL OR task_name = %s) ORDER BY id",
            [task_name, task_name],
        )
        return [{"task": name, "args": json.loads(args)} for name, args in cursor.fetchall()]


def make_due() -> None:
    """Bring every job waiting for a retry forward to now (skips the backoff wait)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET scheduled_at = now() "
            "WHERE status = 'todo' AND scheduled_at > now()"
        )


def empty_queue() -> None:
    """Delete every job (with its events) and every registered worker."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_periodic_defers")
        cursor.execute("DELETE FROM procrastinate_jobs")
        cursor.execute("DELETE FROM procrastinate_workers")
