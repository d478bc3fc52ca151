"""A worker killed in the middle of a job: the job runs again and its effect happens exactly once.

Real processes: `manage.py jobs_worker` (procrastinate's worker, as `make run` and production start it) runs the
job until it waits for a lock the test holds (half of its work done and committed), then gets SIGKILL, as from the
kernel's out-of-memory killer or a lost machine. Time passes (the dead worker's heartbeat is set into the past
instead of waiting a minute), the periodic `jobs_retry_stalled` puts the job back into the queue, and a fresh
worker runs it to its end.
"""

import contextlib
import datetime

import pytest
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.exceptions import AlreadyEnqueued

from ankommen.accounts.models import Role
from ankommen.core.tasks import STALLED_WORKER_SECONDS, jobs_retry_stalled
from ankommen.people.tests.factories import PersonFactory
from ankommen.schooling import placement
from ankommen.schooling.models import Intake, IntakeStatus, Placement, PlacementRun, PlacementRunStatus, WaitingAlert
from ankommen.schooling.tasks import waiting_alert
from ankommen.schooling.tests.factories import IntakeFactory
from ankommen.schooling.tests.placement_factories import TERM, school_in, seats_at, waiting_child
from tests.faults import processes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_queue():
    """A queue of the test's own, left empty for the next test: procrastinate's tables are not flushed between
    transactional tests, and jobs other tests left behind would be run by this test's workers (and ours found by
    theirs)."""
    processes.truncate_queue()
    yield
    processes.truncate_queue()


def _waiting_long(centre):
    child = PersonFactory(centre=centre, family_name="Haidari", birth_date=datetime.date(2016, 3, 1))
    IntakeFactory(
        child=child, status=IntakeStatus.REGISTERED, registered_on=timezone.localdate() - datetime.timedelta(days=60)
    )


def _kill_worker_at_the_lock(tmp_path, mail_dir, *, queues, release):
    """Start a worker, wait until its job waits for the test's lock, SIGKILL it, then release the lock."""
    with processes.connect() as watcher:
        with processes.worker(log=tmp_path / "worker.log", mail_dir=mail_dir, queues=queues) as worker:
            backend = processes.backend_waiting_for_a_lock(watcher, timeout=120)
            worker.kill()
            worker.wait()
        release()
        processes.wait_for(
            lambda: not watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]).fetchone(),
            timeout=30,
            what="the dead worker's backend to end",
        )


def _time_passes_and_the_stalled_job_is_retried(tmp_path, mail_dir):
    # A minute later: the dead worker has missed its heartbeats. (Set into the past instead of waiting.)
    with processes.connect() as database:  # procrastinate's Django models are read-only
        database.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = now() - make_interval(secs => %s)",
            [STALLED_WORKER_SECONDS + 5],
        )
    # What a worker's periodic deferrer does every minute. The dead worker's deferrer may have queued one already.
    with contextlib.suppress(AlreadyEnqueued):
        jobs_retry_stalled.defer(timestamp=0)
    processes.worker_drain(log=tmp_path / "worker.log", mail_dir=mail_dir)


def _job(job_id):
    return ProcrastinateJob.objects.get(pk=job_id)


def test_a_mail_job_killed_halfway_runs_again_and_mails_every_centre_exactly_once(
    tmp_path, make_member, centre, other_centre
):
    mail_dir = tmp_path / "mails"
    first_lead = make_member(Role.CENTRE_LEAD, centre=centre)
    second_lead = make_member(Role.CENTRE_LEAD, centre=other_centre)
    assert centre.pk < other_centre.pk  # the job mails the centres in this order
    _waiting_long(centre)
    _waiting_long(other_centre)
    job_id = waiting_alert.defer(timestamp=0)

    with processes.connect(autocommit=False) as blocker:
        # An unfinished transaction holds the second centre's row of the day: the job waits for it there, after it
        # has mailed the first centre and committed that.
        blocker.execute(
            "INSERT INTO schooling_waitingalert (centre_id, sent_on, children) VALUES (%s, %s, 1)",
            [other_centre.pk, timezone.localdate()],
        )
        _kill_worker_at_the_lock(tmp_path, mail_dir, queues="notifications", release=blocker.rollback)

    assert _job(job_id).status == "doing"  # the job died with its worker
    assert [message["To"] for message in processes.mails(mail_dir)] == [first_lead.email]
    assert list(WaitingAlert.objects.dangerously_unscoped().values_list("centre_id", flat=True)) == [centre.pk]

    _time_passes_and_the_stalled_job_is_retried(tmp_path, mail_dir)

    job = _job(job_id)
    assert (job.status, job.attempts) == ("succeeded", 2)  # two executions, the second to the end
    assert sorted(message["To"] for message in processes.mails(mail_dir)) == sorted(
        [first_lead.email, second_lead.email]
    )
    assert sorted(WaitingAlert.objects.dangerously_unscoped().values_list("centre_id", flat=True)) == [
        centre.pk,
        other_centre.pk,
    ]
    assert "Haidari" not in (tmp_path / "worker.log").read_text()


def test_a_placement_run_killed_halfway_is_taken_over_and_writes_its_proposals_once(tmp_path, centre, staff):
    mail_dir = tmp_path / "mails"
    school = school_in(centre, latitude=50.9400, longitude=6.9600)
    seats_at(school, seats=5)
    children = [waiting_child(centre) for _ in range(3)]
    run = placement.placement_run_start(centre=centre, by=staff, term=TERM)
    job_id = ProcrastinateJob.objects.get(task_name="schooling.placement_run", args__run_id=run.pk).pk

    with processes.connect(autocommit=False) as blocker:
        # The run is claimed (running, committed) and loading its input when it meets the lock.
        blocker.execute("LOCK TABLE schooling_placement IN ACCESS EXCLUSIVE MODE")
        _kill_worker_at_the_lock(tmp_path, mail_dir, queues="placement", release=blocker.rollback)

    run.refresh_from_db()
    # Before the fix this was the end: a run left running for ever, and the centre refused any new one.
    assert run.status == PlacementRunStatus.RUNNING
    assert _job(job_id).status == "doing"
    assert not Placement.objects.for_centre(centre).exists()

    _time_passes_and_the_stalled_job_is_retried(tmp_path, mail_dir)

    run.refresh_from_db()
    job = _job(job_id)
    assert (job.status, job.attempts) == ("succeeded", 2)  # two executions, the second to the end
    assert run.status == PlacementRunStatus.REVIEW
    proposals = Placement.objects.for_centre(centre).filter(run=run)
    assert sorted(proposals.values_list("intake_id", flat=True)) == sorted(child.pk for child in children)
    assert set(proposals.values_list("school_id", flat=True)) == {school.pk}
    assert PlacementRun.objects.for_centre(centre).count() == 1
    assert Intake.objects.for_centre(centre).count() == 3
