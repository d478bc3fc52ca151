"""The batch proposal for all open requests as a background job, like the schooling module's placement run.

A coordinator starts a run (queued); the procrastinate job computes the optimal proposal and the greedy first-come
baseline on the centre's pool and keeps the pairs (ids and scores only); the coordinator looks at the result and
applies it. Applying checks every pair again: a request answered or a volunteer filled up meanwhile is skipped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.core.row_level_security import centre_scope
from ankommen.people.consent import withdrawn, withdrawn_for_family
from ankommen.people.models import Purpose
from ankommen.volunteering import selectors, services
from ankommen.volunteering.models import (
    ACTIVE_BATCH_RUN_STATUSES,
    BatchRun,
    BatchRunStatus,
    RequestStatus,
    SupportRequest,
    Volunteer,
)

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.matching.volunteers import BatchResult
    from ankommen.regions.models import Centre

logger = logging.getLogger(__name__)


def batch_runs(*, centre: Centre) -> QuerySet[BatchRun]:
    return BatchRun.objects.for_centre(centre).select_related("started_by", "applied_by")


def batch_run_get(*, centre: Centre, run_id: int) -> BatchRun:
    run: BatchRun = batch_runs(centre=centre).get(pk=run_id)
    return run


def batch_run_start(*, centre: Centre, by: User) -> BatchRun:
    """Queue a batch proposal for the centre; the job starts once this transaction has committed."""
    from ankommen.volunteering.tasks import batch_run_job

    with transaction.atomic():
        if BatchRun.objects.for_centre(centre).filter(status__in=ACTIVE_BATCH_RUN_STATUSES).exists():
            raise ValidationError(_("A batch proposal of this centre is already queued or running."))
        run = BatchRun(centre=centre, started_by=by)
        try:
            # A savepoint: the constraint also catches a second start that raced past the check above.
            with transaction.atomic(), pghistory.context(user=by.pk):
                run.save()
        except IntegrityError:
            raise ValidationError(_("A batch proposal of this centre is already queued or running.")) from None
        transaction.on_commit(lambda: batch_run_job.defer(run_id=run.pk))
    return run


def _figures(result: BatchResult) -> dict[str, Any]:
    return {
        "matched": result.matched,
        "total_score": round(result.total_score, 1),
        "total_distance_km": round(result.total_distance_km, 1),
    }


def _claim(run_id: int) -> BatchRun | None:
    with transaction.atomic():
        run = (
            BatchRun.objects.dangerously_unscoped()  # the job knows only the run's id; its centre comes from it
            .select_for_update()
            .select_related("centre")
            # RUNNING too: a worker killed mid-run leaves its run there, and the retried job takes it over (the
            # pairs are written at the end, in one transaction, so there is nothing half-done to clear).
            .filter(pk=run_id, status__in=[BatchRunStatus.QUEUED, BatchRunStatus.RUNNING])
            .first()
        )
        if run is None:
            return None
        run.status = BatchRunStatus.RUNNING
        with centre_scope(run.centre_id):
            run.save(update_fields=["status", "updated_at"])
    return run


def batch_run_execute(*, run_id: int) -> BatchRun | None:
    """Compute a queued run: ready with its pairs and both proposals' figures, or failed with none."""
    run = _claim(run_id)
    if run is None:
        return None
    # The run's centre from here on, also for the database's row-level security.
    with centre_scope(run.centre_id):
        centre = run.centre
        try:
            started = timezone.now()
            comparison = selectors.batch_comparison(centre=centre)
            pool = selectors.volunteer_pool(centre=centre)
            proposals = []
            for request_id, volunteer_id in sorted(comparison.optimal.assignments.items()):
                need = selectors.need_of(comparison.requests[request_id])
                breakdown = selectors.matching.suggest_for_volunteer(pool, need, volunteer_id)
                proposals.append(
                    {
                        "request": request_id,
                        "volunteer": volunteer_id,
                        "score": {**(breakdown or [{}])[0], "method": "batch"},
                    }
                )
            with transaction.atomic():
                locked = BatchRun.objects.for_centre(centre).select_for_update().filter(pk=run.pk).first()
                # Otherwise another run of the same job (a retry of a worker taken for dead) got there first.
                if locked is not None and locked.status == BatchRunStatus.RUNNING:
                    run.status = BatchRunStatus.READY
                    run.proposals = proposals
                    run.summary = {
                        "open_requests": comparison.open_requests,
                        "optimal": _figures(comparison.optimal),
                        "greedy": _figures(comparison.greedy),
                        "seconds": round((timezone.now() - started).total_seconds(), 2),
                    }
                    run.finished_at = timezone.now()
                    run.save(update_fields=["status", "proposals", "summary", "finished_at", "updated_at"])
        except Exception:
            logger.exception("volunteer batch run %s failed", run.pk)
            with transaction.atomic():
                BatchRun.objects.for_centre(centre).filter(pk=run.pk, status=BatchRunStatus.RUNNING).update(
                    status=BatchRunStatus.FAILED, summary={"error": "internal"}, finished_at=timezone.now()
                )
        run.refresh_from_db()
        return run


@transaction.atomic
def batch_run_apply(*, centre: Centre, by: User, run: BatchRun) -> BatchRun:
    """Propose the run's pairs that still hold; every proposal is one assignment with its step and mail."""
    run = BatchRun.objects.for_centre(centre).select_for_update().get(pk=run.pk)
    if run.status != BatchRunStatus.READY:
        raise ValidationError(_("Only a finished batch proposal that has not been applied yet can be applied."))
    request_ids = [pair["request"] for pair in run.proposals]
    # A request whose person withdrew the consent since the run computed its pairs is skipped like a closed one.
    requests = (
        SupportRequest.objects.for_centre(centre)
        .filter(status=RequestStatus.OPEN)
        .exclude(
            withdrawn(Purpose.VOLUNTEER_SUPPORT, person="person")
            | withdrawn_for_family(Purpose.VOLUNTEER_SUPPORT, family="family")
        )
        .in_bulk(request_ids)
    )
    volunteers = Volunteer.objects.for_centre(centre).in_bulk([pair["volunteer"] for pair in run.proposals])
    applied = skipped = 0
    for pair in run.proposals:
        request, volunteer = requests.get(pair["request"]), volunteers.get(pair["volunteer"])
        if request is None or volunteer is None:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                services.assignment_propose(
                    centre=centre, by=by, request=request, volunteer=volunteer, score=pair["score"]
                )
        except ValidationError:
            skipped += 1
        else:
            applied += 1
    run.status = BatchRunStatus.APPLIED
    run.applied_by = by
    run.applied_at = timezone.now()
    run.summary = {**run.summary, "applied": applied, "skipped": skipped}
    with pghistory.context(user=by.pk):
        run.save()
    return run
