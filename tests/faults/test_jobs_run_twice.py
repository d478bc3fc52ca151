"""Every job may run twice, one after the other or at the same time: its effect happens once (docs/resilience.md).

The end-to-end proof with a killed worker is test_worker_killed.py; these tests pin each job's own mechanism.
"""

import asyncio
import concurrent.futures
import datetime

import pytest
from django.core import mail
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from ankommen import matching
from ankommen.accounts.models import Role
from ankommen.core.tasks import STALLED_WORKER_SECONDS
from ankommen.people.tests.factories import PersonFactory
from ankommen.schooling import placement
from ankommen.schooling.models import IntakeStatus, Placement, PlacementRun, PlacementRunStatus, WaitingAlert
from ankommen.schooling.placement_jobs import placement_run_execute
from ankommen.schooling.tasks import waiting_alert_send
from ankommen.schooling.tests.factories import IntakeFactory
from ankommen.schooling.tests.placement_factories import TERM, school_in, seats_at, waiting_child
from ankommen.volunteering import batch
from ankommen.volunteering.models import BatchRun, BatchRunStatus
from ankommen.work import tasks as work_tasks
from ankommen.work.models import Application
from ankommen.work.tests import factories as work_factories
from ankommen.work.tests.test_follow_up_reminders import _contract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_stalled_jobs_are_retried_every_minute_after_six_missed_heartbeats():
    periodic = {task.periodic_id: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["jobs_retry_stalled"] == "* * * * *"
    assert periodic["jobs_remove_finished"] == "47 3 * * *"
    assert STALLED_WORKER_SECONDS == 60


def test_the_waiting_alert_mails_each_centre_once_a_day_however_often_it_runs(make_member, centre):
    lead = make_member(Role.CENTRE_LEAD, centre=centre)
    IntakeFactory(
        child=PersonFactory(centre=centre),
        status=IntakeStatus.REGISTERED,
        registered_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    today = timezone.localdate()

    assert waiting_alert_send(today=today) == 1
    assert waiting_alert_send(today=today) == 0
    assert [message.to for message in mail.outbox] == [[lead.email]]
    assert WaitingAlert.objects.for_centre(centre).get().children == 1

    assert waiting_alert_send(today=today + datetime.timedelta(days=1)) == 1  # the next day is a new alert
    assert len(mail.outbox) == 2


def _queued_run(centre, staff):
    school = school_in(centre, latitude=50.9400, longitude=6.9600)
    seats_at(school, seats=5)
    children = [waiting_child(centre) for _ in range(2)]
    return placement.placement_run_start(centre=centre, by=staff, term=TERM), children


def test_a_placement_run_left_running_by_a_killed_worker_is_finished_by_the_retried_job(centre, staff):
    run, children = _queued_run(centre, staff)
    PlacementRun.objects.for_centre(centre).filter(pk=run.pk).update(status=PlacementRunStatus.RUNNING, progress=0.4)

    finished = placement_run_execute(run_id=run.pk)

    assert finished.status == PlacementRunStatus.REVIEW
    assert sorted(Placement.objects.for_centre(centre).values_list("intake_id", flat=True)) == sorted(
        child.pk for child in children
    )
    assert placement_run_execute(run_id=run.pk) is None  # a third run of the job finds nothing to do
    assert Placement.objects.for_centre(centre).count() == 2


def test_two_runs_of_the_placement_job_at_once_write_the_proposals_once(centre, staff, monkeypatch):
    run, children = _queued_run(centre, staff)
    place = matching.place
    overtaken = []

    def place_while_a_second_run_of_the_job_finishes_first(*args, **kwargs):
        if not overtaken:
            overtaken.append(None)
            overtaken[0] = placement_run_execute(run_id=run.pk)  # the retry of a worker taken for dead
        return place(*args, **kwargs)

    monkeypatch.setattr(matching, "place", place_while_a_second_run_of_the_job_finishes_first)

    first = placement_run_execute(run_id=run.pk)

    assert overtaken[0].status == PlacementRunStatus.REVIEW
    assert first.status == PlacementRunStatus.REVIEW
    assert Placement.objects.for_centre(centre).filter(run=run).count() == len(children)


def test_a_batch_proposal_left_running_by_a_killed_worker_is_finished_by_the_retried_job(centre, staff):
    run = batch.batch_run_start(centre=centre, by=staff)
    BatchRun.objects.for_centre(centre).filter(pk=run.pk).update(status=BatchRunStatus.RUNNING)

    finished = batch.batch_run_execute(run_id=run.pk)

    assert finished.status == BatchRunStatus.READY
    assert batch.batch_run_execute(run_id=run.pk) is None


def test_follow_up_reminders_killed_after_the_first_centre_mail_only_the_others_when_run_again(
    make_member, centre, other_centre, staff, monkeypatch
):
    other_staff = make_member(Role.CENTRE_STAFF, centre=other_centre)
    first = _contract(centre, work_factories.employer(centre), staff, started_days_ago=200)
    second = _contract(other_centre, work_factories.employer(other_centre), other_staff, started_days_ago=200)
    send_mail = work_tasks.send_mail

    def dies_at_the_second_centre(*args, **kwargs):
        if mail.outbox:
            raise SystemExit("the worker is killed")
        return send_mail(*args, **kwargs)

    monkeypatch.setattr(work_tasks, "send_mail", dies_at_the_second_centre)
    with pytest.raises(SystemExit):
        work_tasks.follow_up_reminders_send()
    monkeypatch.setattr(work_tasks, "send_mail", send_mail)

    assert Application.objects.for_centre(centre).get(pk=first.pk).follow_up_reminded_at is not None
    assert Application.objects.for_centre(other_centre).get(pk=second.pk).follow_up_reminded_at is None

    assert work_tasks.follow_up_reminders_send() == 1
    assert [f"Nr. {first.pk}" in message.body for message in mail.outbox] == [True, False]
    assert f"Nr. {second.pk}" in mail.outbox[1].body


@pytest.mark.django_db(transaction=True)
def test_only_the_jobs_of_silent_workers_go_back_to_the_queue():
    from ankommen.core.tasks import sessions_clear_expired, stalled_jobs_retry
    from tests.faults import processes

    async def scenario():
        async with worker_app.open_async():
            manager = worker_app.job_manager
            worker_id = await manager.register_worker()
            await sessions_clear_expired.defer_async(timestamp=1)
            job = await manager.fetch_job(queues=None, worker_id=worker_id)
            alive = await stalled_jobs_retry(job_manager=manager)
            with processes.connect() as database:
                database.execute(
                    "UPDATE procrastinate_workers SET last_heartbeat = now() - make_interval(secs => %s)",
                    [STALLED_WORKER_SECONDS + 1],
                )
            silent = await stalled_jobs_retry(job_manager=manager)
            return job.id, alive, silent

    processes.truncate_queue()  # procrastinate's tables are not flushed between tests: a queue of our own
    try:
        # The loop runs in a thread of its own: a browser test earlier in the same process leaves Playwright's loop
        # running in this one, and asyncio.run refuses to start beside it.
        with (
            app.replace_connector(app.connector.get_worker_connector()) as worker_app,
            concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread,
        ):
            job_id, alive, silent = thread.submit(asyncio.run, scenario()).result()
        status = ProcrastinateJob.objects.get(pk=job_id).status
    finally:
        processes.truncate_queue()

    assert alive == []  # a worker with a fresh heartbeat keeps its job
    assert silent == [job_id]
    assert status == "todo"
