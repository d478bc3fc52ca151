"""Run a queue's waiting jobs on the same worker as `manage.py procrastinate worker`, from inside a test."""

from __future__ import annotations

import gc
import threading


def run_worker_until_idle(queue: str, *, timeout: float = 120.0) -> None:
    """Run the jobs waiting in `queue` until none is left; a job's exception is raised here.

    Its own thread, so that its event loop is its own (Playwright's sync API keeps one in the test's thread).
    """
    from procrastinate.contrib.django import app

    failures: list[BaseException] = []

    def work() -> None:
        try:
            with app.replace_connector(app.connector.get_worker_connector()) as worker_app:  # type: ignore[attr-defined]
                worker_app.run_worker(queues=[queue], wait=False, install_signal_handlers=False, listen_notify=False)
        except BaseException as error:  # re-raised in the test's thread below
            failures.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=timeout)
    assert not worker.is_alive(), f"the {queue} worker did not finish"
    # The job's thread kept its Django connection (CONN_MAX_AGE); the thread is gone, but the connection closes only
    # when it is collected. Left open, it keeps the test database from being dropped at the end of the session.
    gc.collect()
    if failures:
        raise failures[0]
