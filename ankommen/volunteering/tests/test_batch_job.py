# mypy: disable-error-code="attr-defined, arg-type, union-attr"
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from ankommen.accounts.models import Role
from ankommen.volunteering import batch, services
from ankommen.volunteering.models import Assignment, BatchRun, BatchRunStatus, RequestStatus, SupportRequest
from ankommen.volunteering.tests.factories import open_request, postcode_of, volunteer_in


def _scarce(centre, staff):
    """Two volunteers with one place each, two requests: first come matches one, the optimum both."""
    postcode_of(centre)
    postcode_of(centre, code="50999", longitude=6.95 - 8.0 / 70.0)
    best = volunteer_in(centre, max_parallel=1)
    volunteer_in(centre, max_parallel=1, longitude=6.95 + 3.0 / 70.0, languages={"uk": "B1"})
    open_request(centre, staff)
    open_request(centre, staff, postcode="50999")
    return best


@pytest.mark.django_db(transaction=True)
def test_the_batch_runs_as_a_job_on_a_real_worker_and_the_coordinator_applies_it(centre, staff, staff_client):
    best = _scarce(centre, staff)
    response = staff_client.post(reverse("volunteering:batch"))
    run = BatchRun.objects.for_centre(centre).get()
    assert response["Location"] == reverse("volunteering:batch_run_detail", args=[run.pk])
    assert run.status == BatchRunStatus.QUEUED
    # Nothing is proposed in the web request.
    assert not Assignment.objects.for_centre(centre).exists()
    page = staff_client.get(reverse("volunteering:batch_run_detail", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    job = ProcrastinateJob.objects.get(task_name="volunteering.batch_run", args__run_id=run.pk)
    assert job.args == {"run_id": run.pk}

    # The same worker as `manage.py procrastinate worker`: its own psycopg connection, not Django's.
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(queues=["matching"], wait=False, install_signal_handlers=False, listen_notify=False)

    assert ProcrastinateJob.objects.get(pk=job.pk).status == "succeeded"
    run.refresh_from_db()
    assert run.status == BatchRunStatus.READY
    assert run.summary["optimal"]["matched"] == 2
    assert run.summary["greedy"]["matched"] == 1
    assert run.summary["optimal"]["total_score"] > run.summary["greedy"]["total_score"]
    progress = staff_client.get(
        reverse("volunteering:batch_run_progress", args=[run.pk]), headers={"HX-Request": "true"}
    )
    assert progress["HX-Refresh"] == "true"
    result = staff_client.get(reverse("volunteering:batch_run_detail", args=[run.pk])).content.decode()
    assert "every 2s" not in result
    assert reverse("volunteering:batch_run_apply", args=[run.pk]) in result
    assert not Assignment.objects.for_centre(centre).exists()

    assert staff_client.post(reverse("volunteering:batch_run_apply", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == BatchRunStatus.APPLIED
    assert (run.summary["applied"], run.summary["skipped"]) == (2, 0)
    assert Assignment.objects.for_centre(centre).get(volunteer=best).score["method"] == "batch"
    assert not SupportRequest.objects.for_centre(centre).filter(status=RequestStatus.OPEN).exists()
    # Applied once only.
    with pytest.raises(ValidationError):
        batch.batch_run_apply(centre=centre, by=staff, run=run)


@pytest.mark.django_db
def test_a_second_run_waits_for_the_first_and_a_changed_request_is_skipped(centre, staff):
    _scarce(centre, staff)
    run = batch.batch_run_start(centre=centre, by=staff)
    with pytest.raises(ValidationError):
        batch.batch_run_start(centre=centre, by=staff)
    run = batch.batch_run_execute(run_id=run.pk)
    assert batch.batch_run_execute(run_id=run.pk) is None  # not queued any more: nothing to do
    first = SupportRequest.objects.for_centre(centre).order_by("pk").first()
    services.support_request_close(centre=centre, by=staff, request=first, reason="no_longer_needed")
    run = batch.batch_run_apply(centre=centre, by=staff, run=run)
    assert (run.summary["applied"], run.summary["skipped"]) == (1, 1)


@pytest.mark.django_db
def test_staff_of_another_centre_do_not_see_the_run(centre, staff, make_member, login, other_centre):
    run = batch.batch_run_start(centre=centre, by=staff)
    stranger = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert stranger.get(reverse("volunteering:batch_run_detail", args=[run.pk])).status_code == 404
    assert stranger.post(reverse("volunteering:batch_run_apply", args=[run.pk])).status_code == 404
