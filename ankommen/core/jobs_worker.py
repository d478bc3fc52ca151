"""The job worker of `manage.py jobs_worker`: procrastinate's worker, started again in the same process when the
database goes away.

procrastinate's worker stops as soon as one of its side tasks (the heartbeat, the listener, the periodic deferrer)
loses its connection, so a restart of PostgreSQL (a failover, an update) would leave no worker running: no mails,
no placement runs, and no `jobs_retry_stalled` to pick up what the stop left behind. This loop opens a new
connection pool and starts a new worker after such a stop, waiting 1 s, then 2, 4, … up to 30 s while the database
is still away. SIGTERM and SIGINT stop it for good, as they stop procrastinate's own worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterable
from typing import Any

from procrastinate import App
from procrastinate.worker import Worker

logger = logging.getLogger(__name__)

FIRST_DELAY_SECONDS = 1.0
LONGEST_DELAY_SECONDS = 30.0
# A worker that ran this long before it stopped was healthy: the next stop starts with the short delay again.
HEALTHY_RUN_SECONDS = 60.0


async def run_until_stopped(app: App, *, queues: Iterable[str] | None, concurrency: int, wait: bool = True) -> int:
    """Run workers one after the other until a signal asks to stop; returns how many were started."""
    loop = asyncio.get_running_loop()
    stop_requested = asyncio.Event()
    current: Worker | None = None

    def request_stop() -> None:
        stop_requested.set()
        if current is not None:
            current.stop()

    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop_signal, request_stop)
    app.perform_import_paths()
    delay = FIRST_DELAY_SECONDS
    started_workers = 0
    try:
        while not stop_requested.is_set():
            started = loop.time()
            try:
                # A new pool each time: the connections of the old one died with the server.
                async with app.open_async():
                    options: dict[str, Any] = {**app.worker_defaults}
                    options.update(queues=queues, concurrency=concurrency, wait=wait, install_signal_handlers=False)
                    current = Worker(app=app, **options)
                    started_workers += 1
                    await current.run()
            except Exception as error:  # the database is away: opening the pool or unregistering failed
                logger.warning("job worker stopped by %s", type(error).__name__)
            current = None
            if stop_requested.is_set() or not wait:
                break
            if loop.time() - started > HEALTHY_RUN_SECONDS:
                delay = FIRST_DELAY_SECONDS
            logger.warning("job worker stopped (database unreachable?); a new one starts in %.0f s", delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_requested.wait(), timeout=delay)
            delay = min(delay * 2, LONGEST_DELAY_SECONDS)
    finally:
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(stop_signal)
    return started_workers
