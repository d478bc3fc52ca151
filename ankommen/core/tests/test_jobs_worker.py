"""`manage.py jobs_worker`, the worker of `make run` and production, runs the queued jobs (`make drill-restart`
proves that it outlives a restart of PostgreSQL)."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from ankommen.core.row_level_security import dangerously_as_table_owner
from ankommen.core.tasks import sessions_clear_expired
from tests.faults import processes


@pytest.fixture
def own_queue(transactional_db):
    """procrastinate's tables are not flushed between tests: start with an empty queue and leave one behind."""

    def empty() -> None:
        # TRUNCATE is the owner's right, not the application role's.
        with dangerously_as_table_owner(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs")

    empty()
    yield
    empty()


@pytest.mark.django_db(transaction=True)
def test_the_jobs_worker_runs_what_is_queued(own_queue):
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    job_id = sessions_clear_expired.defer(timestamp=0)

    # Its own process, as in production (and no connection of a worker thread left open in the test's process).
    subprocess.run(
        [sys.executable, "manage.py", "jobs_worker", "--queues", "housekeeping", "--one-shot"],
        cwd=settings.BASE_DIR,
        env=processes.environment(),
        check=True,
        timeout=300,
        capture_output=True,
    )

    assert ProcrastinateJob.objects.get(pk=job_id).status == "succeeded"
    assert not Session.objects.filter(session_key=stale.session_key).exists()
