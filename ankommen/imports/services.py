"""Imports from upload to commit: the check (dry run) and the commit each run in a procrastinate job.

- `import_upload` keeps the file encrypted on a new `ImportRun` and queues its check.
- `import_check` (job) reads every row and records the preview: new, changed and unchanged rows, errors per row in
  the uploader's language, progress while it runs. A file with errors is dropped at once: it cannot be imported.
- `import_commit_request` queues the commit of a checked file; `import_commit` (job) checks every row again (the
  centre's records may have changed since) and writes them in one transaction: any error writes nothing.
  The file is dropped afterwards, whatever the outcome.
- `imports_expire` (nightly) drops the files of imports left unwritten for UPLOAD_HOURS.

A job run twice (a worker killed mid-job hands it to another) finds the run in a state it can take up again:
the check starts over, and a commit either took place in full (COMMITTED, nothing to do) or not at all.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.core.crypto import decrypt_bytes, encrypt_bytes
from ankommen.core.row_level_security import centre_scope
from ankommen.imports.engine import Column, Importer, RowError, RowOutcome, Summary, run_import
from ankommen.imports.models import ImportFormat, ImportKind, ImportRun, ImportStatus
from ankommen.imports.parsing import UnreadableFile, is_xlsx, read_table

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

logger = logging.getLogger(__name__)

UPLOAD_HOURS = 24
MAX_UPLOAD_BYTES = 40 * 1024 * 1024


def _importer(kind: str, *, centre: Centre, by: User) -> Importer:
    from ankommen.imports.organisations import OrganisationImporter
    from ankommen.imports.persons import PersonImporter
    from ankommen.imports.seats import SeatImporter
    from ankommen.imports.volunteers import VolunteerImporter

    importers: dict[str, Callable[..., Importer]] = {
        ImportKind.PERSONS: PersonImporter,
        ImportKind.SEATS: SeatImporter,
        ImportKind.ORGANISATIONS: OrganisationImporter,
        ImportKind.VOLUNTEERS: VolunteerImporter,
    }
    return importers[kind](centre=centre, by=by)


def import_columns(*, kind: ImportKind, centre: Centre, by: User) -> list[Column]:
    return _importer(kind, centre=centre, by=by).columns()


def imports_of(*, centre: Centre, user: User) -> QuerySet[ImportRun]:
    """The imports this user uploaded in this centre: nobody else's exist for them."""
    return ImportRun.objects.for_centre(centre).filter(created_by=user).defer("content_encrypted")


def import_get(*, centre: Centre, user: User, run_id: Any) -> ImportRun:
    run: ImportRun = imports_of(centre=centre, user=user).get(pk=run_id)
    return run


def import_upload(*, centre: Centre, by: User, kind: ImportKind | str, content: bytes, language: str) -> ImportRun:
    from ankommen.imports.tasks import import_check_job

    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})
    if not content.strip():
        raise ValidationError(_("The file is empty."))
    with transaction.atomic():
        run = ImportRun.objects.create(
            centre=centre,
            kind=kind,
            created_by=by,
            language=language,
            file_format=ImportFormat.XLSX if is_xlsx(content) else ImportFormat.CSV,
            content_encrypted=encrypt_bytes(content),
        )
        transaction.on_commit(lambda: import_check_job.defer(run_id=str(run.pk)))
    return run


def _claim(run_id: str, *, waiting: ImportStatus, working: ImportStatus) -> ImportRun | None:
    with transaction.atomic():
        run = (
            ImportRun.objects.dangerously_unscoped()  # a job: the run names its centre
            .select_for_update(of=("self",))
            .select_related("centre", "created_by")
            .filter(pk=run_id, status__in=[waiting, working], content_encrypted__isnull=False)
            .first()
        )
        if run is not None:
            run.status = working
            with centre_scope(run.centre_id):
                run.save(update_fields=["status"])
    return run


def _record(run: ImportRun, summary: Summary, **fields: Any) -> None:
    ImportRun.objects.dangerously_unscoped().filter(pk=run.pk).update(
        rows_total=summary.rows_total,
        rows_done=summary.rows_done,
        rows_new=summary.counts[RowOutcome.NEW],
        rows_changed=summary.counts[RowOutcome.CHANGED],
        rows_unchanged=summary.counts[RowOutcome.UNCHANGED],
        error_count=summary.error_count,
        errors=[error.as_dict() for error in summary.errors],
        **fields,
    )


def _unreadable() -> Summary:
    summary = Summary()
    summary.refuse(0, "", _("The file cannot be read. Upload a CSV file or an Excel workbook (XLSX)."))
    return summary


def _run(run: ImportRun, *, write: bool, progress: Callable[[Summary], None] | None = None) -> Summary:
    try:
        table = read_table(decrypt_bytes(run.content_encrypted))  # type: ignore[arg-type]
    except UnreadableFile:
        return _unreadable()
    return run_import(_importer(run.kind, centre=run.centre, by=run.created_by), table, write=write, progress=progress)


def import_check(*, run_id: str) -> ImportRun | None:
    """The dry run: what the import would do, row by row. None when there is nothing to check."""
    run = _claim(run_id, waiting=ImportStatus.QUEUED, working=ImportStatus.CHECKING)
    if run is None:
        return None
    # The job knows only the run's id: from the claim on it works in the run's centre (row-level security).
    with centre_scope(run.centre_id):
        return _check(run)


def _check(run: ImportRun) -> ImportRun:
    def progress(summary: Summary) -> None:
        ImportRun.objects.dangerously_unscoped().filter(pk=run.pk).update(
            rows_done=summary.rows_done, rows_total=max(summary.rows_total, summary.rows_done)
        )

    with translation.override(run.language):
        summary = _run(run, write=False, progress=progress)
    if summary.error_count:
        # A faulty file cannot be imported: it is not kept a minute longer than its check.
        _record(run, summary, status=ImportStatus.INVALID, content_encrypted=None, checked_at=timezone.now())
    else:
        _record(run, summary, status=ImportStatus.READY, checked_at=timezone.now())
    run.refresh_from_db()
    return run


def import_commit_request(*, run: ImportRun, by: User) -> ImportRun:
    from ankommen.imports.tasks import import_commit_job

    with transaction.atomic():
        locked = ImportRun.objects.for_centre(run.centre).select_for_update().get(pk=run.pk, created_by=by)
        if locked.status != ImportStatus.READY:
            raise ValidationError(_("This import cannot be started (any more)."))
        locked.status = ImportStatus.COMMIT_QUEUED
        locked.save(update_fields=["status"])
        transaction.on_commit(lambda: import_commit_job.defer(run_id=str(run.pk)))
    return locked


class _Refused(Exception):
    def __init__(self, summary: Summary) -> None:
        self.summary = summary


def import_commit(*, run_id: str) -> ImportRun | None:
    """Check every row again and write them all in one transaction, or write nothing."""
    run = _claim(run_id, waiting=ImportStatus.COMMIT_QUEUED, working=ImportStatus.COMMITTING)
    if run is None:
        return None
    with centre_scope(run.centre_id):
        return _commit(run)


def _commit(run: ImportRun) -> ImportRun:
    try:
        with translation.override(run.language), transaction.atomic():
            summary = _run(run, write=True)
            if summary.error_count:
                raise _Refused(summary)
            _record(run, summary, status=ImportStatus.COMMITTED, content_encrypted=None, committed_at=timezone.now())
    except _Refused as refused:
        _record(run, refused.summary, status=ImportStatus.FAILED, content_encrypted=None)
    except Exception:
        # Ids only: the log never carries a row of the file.
        logger.exception("import %s (%s) failed", run.pk, run.kind)
        failed = Summary()
        with translation.override(run.language):
            failed.refuse(
                0, "", _("The import failed; nothing was written. Please try again or tell the support team.")
            )
        _record(run, failed, status=ImportStatus.FAILED, content_encrypted=None)
    run.refresh_from_db()
    return run


def imports_expire(*, now: datetime.datetime | None = None) -> int:
    """Drop the files of imports left unwritten for UPLOAD_HOURS; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=UPLOAD_HOURS)
    stale = ImportRun.objects.dangerously_unscoped().filter(created_at__lt=cutoff, content_encrypted__isnull=False)
    return stale.update(status=ImportStatus.EXPIRED, content_encrypted=None)


def row_errors(run: ImportRun) -> list[RowError]:
    return [RowError(**error) for error in run.errors]
