"""Files prepared by a job: asked for on a page, built by a real worker, handed only to who asked, then deleted."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import MembershipFactory
from ankommen.reporting import prepared_files
from ankommen.reporting.models import PreparedFile, PreparedFileKind, PreparedFileStatus
from tests.rls import as_app_role

YEAR = timezone.localdate().year - 1


@pytest.fixture
def lead(make_member, centre):
    return make_member(Role.CENTRE_LEAD, centre=centre)


def _pdf_url(year: int = YEAR) -> str:
    return reverse("reporting:annual_report_centre_pdf", kwargs={"year": year})


def _file_url(name: str, file: PreparedFile) -> str:
    return reverse(f"reporting:{name}", kwargs={"file_id": file.pk})


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_prepared_by_a_real_worker_and_downloaded_by_who_asked(login, lead, centre):
    client = login(lead)

    response = client.post(_pdf_url())

    file = PreparedFile.objects.get()
    assert response["Location"] == _file_url("prepared_file_detail", file)
    assert (file.status, file.centre, file.requested_by, file.role) == (
        PreparedFileStatus.QUEUED,
        centre,
        lead,
        Role.CENTRE_LEAD,
    )
    assert file.content is None  # nothing is built in the web request
    page = client.get(_file_url("prepared_file_detail", file)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert _file_url("prepared_file_download", file) not in page
    assert client.get(_file_url("prepared_file_download", file)).status_code == 404  # not ready yet
    job = ProcrastinateJob.objects.get(task_name="reporting.prepare_file", args__file_id=str(file.pk))
    assert job.args == {"file_id": str(file.pk)}

    # The same worker as `manage.py procrastinate worker`: its own psycopg connection, not Django's.
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(queues=["reports"], wait=False, install_signal_handlers=False, listen_notify=False)

    assert ProcrastinateJob.objects.get(pk=job.pk).status == "succeeded"
    file.refresh_from_db()
    assert file.status == PreparedFileStatus.READY
    progress = client.get(_file_url("prepared_file_progress", file), headers={"HX-Request": "true"})
    assert progress["HX-Refresh"] == "true"
    page = client.get(_file_url("prepared_file_detail", file)).content.decode()
    assert "every 2s" not in page
    assert _file_url("prepared_file_download", file) in page
    download = client.get(_file_url("prepared_file_download", file))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"].split(", ")
    assert f"jahresbericht-{centre.slug}-{YEAR}.pdf" in download["Content-Disposition"]
    assert download.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_a_file_is_nobody_elses(login, make_member, lead, centre):
    file = prepared_files.prepared_file_request(
        kind=PreparedFileKind.CENTRE_ANNUAL_REPORT,
        by=lead,
        membership=lead.memberships.get(),
        parameters={"year": YEAR, "language": "de"},
        title="Jahresbericht",
    )
    prepared_files.prepared_file_execute(file_id=str(file.pk))
    colleague = login(make_member(Role.CENTRE_LEAD, centre=centre))
    # The same person in another role (a second membership) does not get it either.
    MembershipFactory(user=lead, role=Role.CENTRE_STAFF, centre=centre)
    lead_client = login(lead)
    session = lead_client.session
    session["active_membership_id"] = lead.memberships.get(role=Role.CENTRE_STAFF).pk
    session.save()

    for client in (colleague, lead_client):
        for name in ("prepared_file_detail", "prepared_file_progress", "prepared_file_download"):
            assert client.get(_file_url(name, file)).status_code == 404, name


@pytest.mark.django_db
def test_asking_twice_while_it_is_prepared_queues_one_file(login, lead):
    client = login(lead)

    first = client.post(_pdf_url())
    second = client.post(_pdf_url())

    assert first["Location"] == second["Location"]
    assert PreparedFile.objects.count() == 1
    prepared_files.prepared_file_execute(file_id=str(PreparedFile.objects.get().pk))
    client.post(_pdf_url())  # a finished file is not reused: the figures may have changed since
    assert PreparedFile.objects.count() == 2


@pytest.mark.django_db
def test_a_job_run_twice_builds_the_same_file_and_a_finished_one_is_left_alone(lead):
    file = prepared_files.prepared_file_request(
        kind=PreparedFileKind.CENTRE_ANNUAL_REPORT,
        by=lead,
        membership=lead.memberships.get(),
        parameters={"year": YEAR, "language": "en"},
        title="Annual report",
    )
    # A worker killed mid-job leaves the file running; the job handed to the next worker builds it again.
    PreparedFile.objects.filter(pk=file.pk).update(status=PreparedFileStatus.RUNNING)

    built = prepared_files.prepared_file_execute(file_id=str(file.pk))

    assert built is not None
    assert built.status == PreparedFileStatus.READY
    assert bytes(built.content).startswith(b"%PDF")
    assert prepared_files.prepared_file_execute(file_id=str(file.pk)) is None


@pytest.mark.django_db
def test_a_failing_file_is_marked_failed_and_says_so(login, lead):
    file = prepared_files.prepared_file_request(
        kind=PreparedFileKind.CENTRE_ANNUAL_REPORT,
        by=lead,
        membership=lead.memberships.get(),
        parameters={"year": "not a year", "language": "de"},
        title="Jahresbericht",
    )

    failed = prepared_files.prepared_file_execute(file_id=str(file.pk))

    assert failed is not None
    assert failed.status == PreparedFileStatus.FAILED
    assert failed.content is None
    page = login(lead).get(_file_url("prepared_file_detail", file)).content.decode()
    assert "konnte nicht erstellt werden" in page


@pytest.mark.django_db
def test_files_are_deleted_after_a_week(lead):
    old = prepared_files.prepared_file_request(
        kind=PreparedFileKind.CENTRE_ANNUAL_REPORT,
        by=lead,
        membership=lead.memberships.get(),
        parameters={"year": YEAR, "language": "de"},
        title="alt",
    )
    PreparedFile.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=prepared_files.PREPARED_FILE_DAYS, minutes=1)
    )
    recent = prepared_files.prepared_file_request(
        kind=PreparedFileKind.CENTRE_ANNUAL_REPORT,
        by=lead,
        membership=lead.memberships.get(),
        parameters={"year": YEAR - 1, "language": "de"},
        title="neu",
    )

    with as_app_role():  # as a fresh worker runs the job: the application role, no centre
        assert prepared_files.prepared_files_expire() == 1

    assert list(PreparedFile.objects.all()) == [recent]
