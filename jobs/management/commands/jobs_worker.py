"""`manage.py jobs_worker`: procrastinate's worker, carried through a database outage.

procrastinate's own worker (`manage.py procrastinate worker`) stops for good when the
database goes away: a lost connection ends its listener or its job fetching, and
it exits, waiting for a supervisor to start it again (issue 12: a PostgreSQL
restart left the queue without a worker). This command runs the same worker, with
the same settings, and when it stops by itself starts it again after a pause
(1 s, doubling up to 30 s) until the database answers; the log says so once per
outage. SIGTERM or Ctrl-C stops it as before: no new job, running jobs get
`JOBS_SHUTDOWN_SECONDS` to finish.
"""

import asyncio
import contextlib
import logging
import signal

from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app

logger = logging.getLogger("riposte.jobs")
FIRST_PAUSE, MAX_PAUSE = 1.0, 30.0


class Command(BaseCommand):
    help = "Run the job worker; it rides out database outages by itself (SIGTERM stops it)."

    def handle(self, *args, **options):
        connector = app.connector.get_worker_connector()
        with app.replace_connector(connector):
            asyncio.run(self._run_until_stopped())

    async def _run_until_stopped(self) -> None:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        pause, is_down = FIRST_PAUSE, False
        while not stopping.is_set():
            worker = asyncio.create_task(self._worker_once())
            stop = asyncio.create_task(stopping.wait())
            await asyncio.wait({worker, stop}, return_when=asyncio.FIRST_COMPLETED)
            if stopping.is_set():
                # procrastinate's graceful stop: no new job, running ones may finish.
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await worker
                return
            stop.cancel()
            error = worker.exception()
            if not is_down:
                logger.warning(
                    "The job worker stopped (%s); it starts again when the database answers.",
                    error or "the database went away",
                )
            is_down = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), pause)
            if await self._database_answers():
                logger.warning("The database answers again: the job worker starts.")
                pause, is_down = FIRST_PAUSE, False
            else:
                pause = min(pause * 2, MAX_PAUSE)

    async def _worker_once(self) -> None:
        async with app.open_async():
            await app.run_worker_async(install_signal_handlers=False)

    async def _database_answers(self) -> bool:
        try:
            async with app.open_async():
                return await app.check_connection_async()
        except Exception:
            return False
