"""Reports and extracts that take too long for a web request: asked for in a request, prepared by a job.

The annual report as a PDF (charts and a dozen pages through WeasyPrint: seconds of CPU) and the evaluation
extract (the exact suppression of every month's tables: up to tens of seconds on a busy year) are queued as a
`PreparedFile`; the procrastinate job `reporting.prepare_file` builds the bytes and keeps them on the row; the
status page polls until they are ready. A file is handed only to the user who asked for it, in the role (and
centre) they asked in, and deleted after `PREPARED_FILE_DAYS` days by the daily job `reporting.prepared_files_expire`.

Running a job twice (a worker killed mid-job hands it to another) builds the same file again from the same
figures: the claim accepts a file that is still marked running, and the last write wins with the same content.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from ankommen.core.row_level_security import centre_scope, dangerously_all_centres
from ankommen.reporting.models import (
    ACTIVE_PREPARED_FILE_STATUSES,
    PreparedFile,
    PreparedFileKind,
    PreparedFileStatus,
)

if TYPE_CHECKING:
    from ankommen.accounts.models import Membership, User

logger = logging.getLogger(__name__)

# The data register's retention period of prepared files (ANKOMMEN_RETENTION_PREPARED_FILE_DAYS).
PREPARED_FILE_DAYS: int = settings.RETENTION["prepared_file_days"]


@dataclass(frozen=True)
class Prepared:
    content: bytes
    filename: str
    content_type: str


def _annual_report_pdf(file: PreparedFile) -> Prepared:
    from ankommen.reporting.annual_report import (
        centre_annual_report,
        report_filename,
        report_pdf,
        state_annual_report,
    )

    year = int(file.parameters["year"])
    if file.kind == PreparedFileKind.CENTRE_ANNUAL_REPORT:
        assert file.centre is not None
        report = centre_annual_report(centre=file.centre, year=year)
        scope = str(file.centre.slug)
    else:
        report = state_annual_report(year=year)
        scope = "nrw"
    return Prepared(report_pdf(report), f"{report_filename(report, scope=scope)}.pdf", "application/pdf")


def _evaluation_extract(file: PreparedFile) -> Prepared:
    from ankommen.core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
    from ankommen.reporting.evaluation import evaluation_extract, extract_table, extract_tables

    extract = evaluation_extract(
        first_month=datetime.date.fromisoformat(file.parameters["first"]),
        last_month=datetime.date.fromisoformat(file.parameters["last"]),
        threshold=int(file.parameters["threshold"]),
    )
    filename = f"ankommen-auswertung-{extract.label}"
    if file.kind == PreparedFileKind.EVALUATION_EXTRACT_CSV:
        return Prepared(csv_bytes(extract_table(extract)), f"{filename}.csv", CSV_CONTENT_TYPE)
    return Prepared(xlsx_bytes(extract_tables(extract)), f"{filename}.xlsx", XLSX_CONTENT_TYPE)


PREPARERS: dict[str, Callable[[PreparedFile], Prepared]] = {
    PreparedFileKind.CENTRE_ANNUAL_REPORT: _annual_report_pdf,
    PreparedFileKind.STATE_ANNUAL_REPORT: _annual_report_pdf,
    PreparedFileKind.EVALUATION_EXTRACT_CSV: _evaluation_extract,
    PreparedFileKind.EVALUATION_EXTRACT_XLSX: _evaluation_extract,
}


def prepared_files_of(*, user: User, membership: Membership) -> QuerySet[PreparedFile]:
    """The files this user asked for in this role (and centre) that are still kept."""
    since = timezone.now() - datetime.timedelta(days=PREPARED_FILE_DAYS)
    # State roles have no centre: their files are those asked for without one.
    centre = {"centre_id": membership.centre_id} if membership.centre_id else {"centre__isnull": True}
    return PreparedFile.objects.filter(
        requested_by=user, role=membership.role, requested_at__gte=since, **centre
    ).defer("content")


def prepared_file_get(*, user: User, membership: Membership, file_id: Any) -> PreparedFile:
    """The user's own file, or PreparedFile.DoesNotExist: nobody else's file exists for them."""
    file: PreparedFile = prepared_files_of(user=user, membership=membership).get(pk=file_id)
    return file


def prepared_file_request(
    *, kind: PreparedFileKind, by: User, membership: Membership, parameters: dict[str, Any], title: str
) -> PreparedFile:
    """Queue a file; the same file asked for again while it is still being prepared is the one already queued."""
    from ankommen.reporting.tasks import prepare_file_job

    with transaction.atomic():
        waiting = (
            prepared_files_of(user=by, membership=membership)
            .filter(kind=kind, parameters=parameters, status__in=ACTIVE_PREPARED_FILE_STATUSES)
            .first()
        )
        if waiting is not None:
            return waiting
        file = PreparedFile.objects.create(
            kind=kind,
            requested_by=by,
            role=membership.role,
            centre_id=membership.centre_id,
            parameters=parameters,
            title=title,
        )
        transaction.on_commit(lambda: prepare_file_job.defer(file_id=str(file.pk)))
    return file


def _claim(file_id: str) -> PreparedFile | None:
    # The job knows only the file's id: the claim finds it in every centre (row-level security, docs/rls.md).
    with transaction.atomic(), dangerously_all_centres():
        file = (
            # Only the file's row is locked; its centre (none for the state's files) is read along.
            PreparedFile.objects.select_for_update(of=("self",))
            .select_related("centre")
            .filter(pk=file_id, status__in=ACTIVE_PREPARED_FILE_STATUSES)
            .first()
        )
        if file is not None:
            file.status = PreparedFileStatus.RUNNING
            file.save(update_fields=["status"])
    return file


def prepared_file_execute(*, file_id: str) -> PreparedFile | None:
    """Build a queued file: ready with its bytes, or failed without. None when there is nothing to do."""
    file = _claim(file_id)
    if file is None:
        return None
    # From the claim on, the centre the file was asked in (none for the state's, whose figures are aggregates).
    with centre_scope(file.centre_id):
        return _execute(file)


def _execute(file: PreparedFile) -> PreparedFile:
    try:
        # The file speaks the language of the page it was asked for on.
        with translation.override(file.parameters.get("language") or settings.LANGUAGE_CODE):
            prepared = PREPARERS[file.kind](file)
    except Exception:
        # Ids only: the log never carries figures or names.
        logger.exception("prepared file %s (%s) failed", file.pk, file.kind)
        PreparedFile.objects.filter(pk=file.pk).update(status=PreparedFileStatus.FAILED, finished_at=timezone.now())
    else:
        PreparedFile.objects.filter(pk=file.pk).update(
            status=PreparedFileStatus.READY,
            content=prepared.content,
            filename=prepared.filename,
            content_type=prepared.content_type,
            finished_at=timezone.now(),
        )
    file.refresh_from_db()
    return file


def prepared_files_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files older than PREPARED_FILE_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=PREPARED_FILE_DAYS)
    with dangerously_all_centres():  # a housekeeping job of every centre
        deleted, _by_model = PreparedFile.objects.filter(requested_at__lt=cutoff).delete()
    return deleted
