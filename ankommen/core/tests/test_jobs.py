from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from ankommen.core.tasks import sessions_clear_expired


@pytest.mark.django_db(transaction=True)
def test_deferred_job_runs_on_a_real_worker_and_clears_expired_sessions():
    fresh = SessionStore()
    fresh.create()
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(expire_date=timezone.now() - timedelta(days=1))

    sessions_clear_expired.defer(timestamp=0)
    # The same worker as `manage.py procrastinate worker`: its own psycopg connection, not Django's.
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(queues=["housekeeping"], wait=False, install_signal_handlers=False, listen_notify=False)

    assert Session.objects.filter(session_key=fresh.session_key).exists()
    assert not Session.objects.filter(session_key=stale.session_key).exists()
    assert (
        ProcrastinateJob.objects.filter(task_name__endswith="sessions_clear_expired", args__timestamp=0).get().status
        == "succeeded"
    )


def test_the_nightly_job_is_registered_as_periodic():
    periodic_ids = {task.periodic_id for task in app.periodic_registry.periodic_tasks.values()}
    assert "sessions_clear_expired" in periodic_ids


def test_failed_logins_are_pruned_periodically():
    periodic_ids = {task.periodic_id for task in app.periodic_registry.periodic_tasks.values()}
    assert "login_failures_prune" in periodic_ids
