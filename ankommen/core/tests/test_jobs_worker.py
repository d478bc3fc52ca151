"""`manage.py jobs_worker`, the worker of `make run` and production, runs the queued jobs (`make drill-restart`
proves that it outlives a restart of PostgreSQL)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from ankommen.core.tasks import sessions_clear_expired


@pytest.fixture
def own_queue(transactional_db):
    """procrastinate's tables are not flushed between tests: start with an empty queue and leave one behind."""

    def empty() -> None:
        with connection.cursor() as cursor:
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

    call_command("jobs_worker", queues="housekeeping", one_shot=True)

    assert ProcrastinateJob.objects.get(pk=job_id).status == "succeeded"
    assert not Session.objects.filter(session_key=stale.session_key).exists()
