"""Files prepared by a job (annual report PDFs, evaluation extracts): the status page and the download.

Only the user who asked for a file sees it, and only in the role and centre they asked in: anybody else's file
answers 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ankommen.accounts.models import CENTRE_ROLES, STATE_ROLES
from ankommen.core.access import role_required
from ankommen.core.exports import file_response
from ankommen.core.models import AccessAction, AccessLogEntry, AccessPurpose
from ankommen.reporting.models import ACTIVE_PREPARED_FILE_STATUSES, PreparedFile, PreparedFileKind, PreparedFileStatus
from ankommen.reporting.prepared_files import PREPARED_FILE_DAYS, prepared_file_get

reporting_roles_required = role_required(*CENTRE_ROLES, *STATE_ROLES)
EXTRACT_KINDS = {PreparedFileKind.EVALUATION_EXTRACT_CSV, PreparedFileKind.EVALUATION_EXTRACT_XLSX}
# The record type under which extract downloads are logged (as before the extract was prepared by a job).
EXTRACT_RECORD_TYPE = "reporting.evaluation_extract"


def extract_record_id(file: PreparedFile) -> str:
    """Period, threshold and format of an extract, as the access log names it: `2025-01_2025-12.k5.csv`."""
    parameters = file.parameters
    kind = "csv" if file.kind == PreparedFileKind.EVALUATION_EXTRACT_CSV else "xlsx"
    return f"{parameters['first'][:7]}_{parameters['last'][:7]}.k{parameters['threshold']}.{kind}"


def _file(request: HttpRequest, file_id: Any) -> PreparedFile:
    try:
        return prepared_file_get(user=request.user, membership=request.membership, file_id=file_id)  # type: ignore[arg-type, attr-defined]
    except PreparedFile.DoesNotExist:
        raise Http404 from None


def _context(file: PreparedFile) -> dict[str, Any]:
    return {"file": file, "is_active": file.status in ACTIVE_PREPARED_FILE_STATUSES, "days": PREPARED_FILE_DAYS}


@reporting_roles_required
@require_GET
def prepared_file_detail(request: HttpRequest, file_id: Any) -> HttpResponse:
    return render(request, "reporting/prepared_file.html", _context(_file(request, file_id)))


@reporting_roles_required
@require_GET
def prepared_file_progress(request: HttpRequest, file_id: Any) -> HttpResponse:
    file = _file(request, file_id)
    context = _context(file)
    response = render(request, "reporting/prepared_file.html#progress", context)
    if not context["is_active"] and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"  # finished: the whole page shows the download or the failure
    return response


@reporting_roles_required
@require_GET
def prepared_file_download(request: HttpRequest, file_id: Any) -> HttpResponse:
    file = _file(request, file_id)
    if file.status != PreparedFileStatus.READY or file.content is None:
        raise Http404
    if file.kind in EXTRACT_KINDS:
        # Not a read of a person (the extract holds none), but who took which extract when belongs in this log.
        AccessLogEntry.objects.create(
            user=request.user,  # type: ignore[misc]  # logged in: role_required let them in
            centre=None,
            role=file.role,
            record_type=EXTRACT_RECORD_TYPE,
            record_id=extract_record_id(file),
            action=AccessAction.EXPORT,
            purpose=AccessPurpose.EVALUATION,
        )
    return file_response(bytes(file.content), content_type=file.content_type, filename=file.filename)
