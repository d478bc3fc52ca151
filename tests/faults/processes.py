"""Real processes for the fault tests: gunicorn and procrastinate workers on the test database, and a second
connection that locks, watches and terminates what they do."""

from __future__ import annotations

import email
import email.message
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
CONNECTION_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")

# procrastinate's own tables: Django does not manage them, so no flush of a transactional test empties them.
PROCRASTINATE_TABLES = "procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"


def test_database_settings() -> dict[str, str]:
    return {key: str(connection.settings_dict[key] or "") for key in CONNECTION_KEYS}


def environment(*, mail_dir: Path | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.process_settings",
        "ANKOMMEN_TEST_DATABASE": json.dumps(test_database_settings()),
        "PYTHONUNBUFFERED": "1",
    }
    if mail_dir is not None:
        env["ANKOMMEN_TEST_MAIL_DIR"] = str(mail_dir)
    return env


def connect(*, autocommit: bool = True) -> psycopg.Connection:
    """A connection of the test's own, apart from Django's: it locks, watches and terminates."""
    database = test_database_settings()
    return psycopg.connect(
        dbname=database["NAME"],
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        autocommit=autocommit,
    )


def wait_for(condition, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def backend_waiting_for_a_lock(watcher: psycopg.Connection, *, timeout: float = 30.0) -> int:
    """The process id of the backend (of another process) that waits for a lock the test holds."""

    def waiting() -> int | None:
        row = watcher.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND pid <> pg_backend_pid() ORDER BY backend_start LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    return wait_for(waiting, timeout=timeout, what="a backend waiting for the test's lock")


def tables_written_by(watcher: psycopg.Connection, backend_pid: int) -> set[str]:
    """Tables the backend's open transaction has inserted into, updated or deleted from (it holds their
    RowExclusiveLock until the transaction ends)."""
    rows = watcher.execute(
        "SELECT relation::regclass::text FROM pg_locks WHERE pid = %s AND granted AND locktype = 'relation'"
        " AND mode = 'RowExclusiveLock'",
        [backend_pid],
    ).fetchall()
    return {name for (name,) in rows}


def terminate_backend(watcher: psycopg.Connection, backend_pid: int) -> None:
    assert watcher.execute("SELECT pg_terminate_backend(%s)", [backend_pid]).fetchone() == (True,)
    wait_for(
        lambda: not watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend_pid]).fetchone(),
        timeout=10,
        what="the terminated backend to end",
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Gunicorn:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def worker_pids(self) -> set[int]:
        children = set()
        for stat_file in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat_file.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # ended meanwhile
            if int(fields[1]) == self.process.pid:  # the field after the state is the parent's pid
                children.add(int(stat_file.parent.name))
        return children

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def gunicorn(*, log: Path, workers: int = 1, timeout: float = 60.0) -> Iterator[Gunicorn]:
    """`gunicorn config.wsgi` as in production (sync workers, persistent connections) on the test database."""
    port = free_port()
    with log.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
                "--no-control-socket",  # parallel test processes would share its one default path
            ],
            cwd=ROOT,
            env=environment(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = Gunicorn(process=process, url=f"http://127.0.0.1:{port}", log=log)
    try:

        def answers() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn ended early:\n{server.log_text()}")
            try:
                return requests.get(f"{server.url}/health/", timeout=timeout).status_code == 200
            except (requests.ConnectionError, requests.Timeout):
                return False

        wait_for(answers, timeout=timeout, interval=0.2, what="gunicorn to answer")
        wait_for(lambda: len(server.worker_pids()) == workers, timeout=timeout, what="the gunicorn workers")
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def worker(*, log: Path, mail_dir: Path, queues: str | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """`manage.py jobs_worker` as `make run` and production start it, on the test database."""
    arguments = [sys.executable, "manage.py", "jobs_worker"]
    if queues:
        arguments += ["--queues", queues]
    with log.open("ab") as log_file:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            arguments, cwd=ROOT, env=environment(mail_dir=mail_dir), stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def worker_drain(*, log: Path, mail_dir: Path, timeout: float = 180.0) -> None:
    """A fresh worker on every queue that runs what is due and exits (`--one-shot`)."""
    with log.open("ab") as log_file:
        subprocess.run(
            [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"],
            cwd=ROOT,
            env=environment(mail_dir=mail_dir),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=True,
        )


def mails(mail_dir: Path) -> list[email.message.Message]:
    """The messages Django's file backend wrote: one file per connection, messages divided by a line of dashes."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.strip()))
    return found


def truncate_queue() -> None:
    """Empty procrastinate's tables, which a transactional test's flush leaves alone (Django does not manage them)."""
    with connect() as database:
        database.execute(f"TRUNCATE {PROCRASTINATE_TABLES}")
