"""Background jobs of the core: housekeeping, and the recovery of jobs whose worker died (docs/resilience.md)."""

from __future__ import annotations

import logging

from django.contrib.sessions.models import Session
from django.utils import timezone
from procrastinate import JobContext, manager
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)

# A worker writes a heartbeat every 10 s (procrastinate's default). One silent for this long has died (killed,
# machine lost, out of memory, or stopped by a lost connection): the jobs it was running go back to the queue. Six
# missed heartbeats, so that a worker whose heartbeat is only late (a slow or overloaded database) is not taken for
# dead.
STALLED_WORKER_SECONDS = 60
# Finished jobs stay visible (admin, /health/) for a week, then go: the retry job alone adds 1,440 rows a day.
FINISHED_JOBS_KEPT_HOURS = 7 * 24


@app.periodic(cron="17 3 * * *", periodic_id="sessions_clear_expired")
@app.task(queue="housekeeping", queueing_lock="sessions_clear_expired")
def sessions_clear_expired(timestamp: int) -> int:
    """Nightly: expired sessions must not linger in the database (they name who was logged in, and when)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


async def stalled_jobs_retry(
    *, job_manager: manager.JobManager, stalled_worker_seconds: float = STALLED_WORKER_SECONDS
) -> list[int]:
    """Put the jobs of dead workers back into the queue; returns their ids.

    Safe because every job of Ankommen may run twice (each job says why in docs/resilience.md). A job that another
    run of this task retried meanwhile is no longer 'doing' and is left alone.
    """
    retried = []
    for job in await job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_worker_seconds):
        assert job.id is not None
        try:
            await job_manager.retry_job_by_id_async(job_id=job.id, retry_at=timezone.now())
        except Exception:  # retried by a concurrent run, or finished meanwhile
            logger.warning("stalled job %s could not be retried", job.id, exc_info=True)
            continue
        logger.warning("job %s (%s) of a dead worker goes back to the queue", job.id, job.task_name)
        retried.append(job.id)
    return retried


@app.periodic(cron="* * * * *", periodic_id="jobs_retry_stalled")
@app.task(queue="housekeeping", queueing_lock="jobs_retry_stalled", pass_context=True)
async def jobs_retry_stalled(context: JobContext, timestamp: int) -> int:
    """Every minute: jobs whose worker died are run again (within 1 to 2 minutes of its last heartbeat)."""
    return len(await stalled_jobs_retry(job_manager=context.app.job_manager))


@app.periodic(cron="47 3 * * *", periodic_id="jobs_remove_finished")
@app.task(queue="housekeeping", queueing_lock="jobs_remove_finished", pass_context=True)
async def jobs_remove_finished(context: JobContext, timestamp: int) -> None:
    """Nightly: succeeded and cancelled jobs older than a week are removed; failed ones stay for a look."""
    await context.app.job_manager.delete_old_jobs(nb_hours=FINISHED_JOBS_KEPT_HOURS, include_cancelled=True)


@app.periodic(cron="37 2 * * *", periodic_id="retention_delete_expired")
@app.task(queue="housekeeping", queueing_lock="retention_delete_expired")
def retention_delete_expired(timestamp: int) -> int:
    """Nightly: records past their retention period (docs/data-protection.md) are deleted with their history.

    Safe to run twice, also at once: each centre's records go in one transaction, and a second run finds nothing
    expired that the first has not deleted (a row deleted by a concurrent run is simply not found)."""
    from ankommen.core.register.retention import retention_apply

    deleted = retention_apply()
    logger.info("retention: %s rows deleted (%s)", sum(deleted.values()), dict(deleted))
    return sum(deleted.values())


@app.periodic(cron="23 * * * *", periodic_id="idempotency_keys_remove_expired")
@app.task(queue="housekeeping", queueing_lock="idempotency_keys_remove_expired")
def idempotency_keys_remove_expired(timestamp: int) -> int:
    """Hourly: keys of create requests are kept for a day (docs/concurrency.md), then go."""
    from ankommen.core.concurrency import keys_remove_expired

    return keys_remove_expired()
