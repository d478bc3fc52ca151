"""The imports endpoints: upload a file (the check runs in a job), follow the run, commit it, list one's own runs.

As on the pages, an import belongs to the caller who uploaded it, in the centre of their token: anyone else's
answers 404. The errors per row are written when the file is checked, in the language of the upload request
(its Accept-Language, else the token user's language).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from ankommen.accounts.models import Role
from ankommen.api.auth import SessionMembershipAuth, TokenAuth
from ankommen.api.scoping import require_centre
from ankommen.core.concurrency import idempotent
from ankommen.imports import services
from ankommen.imports.models import ImportFormat, ImportKind, ImportRun, ImportStatus

IMPORTER_ROLES = (Role.CENTRE_LEAD, Role.CENTRE_STAFF)


def _importer_only(membership: Any) -> Any:
    """Refused in the authentication, before the upload is read: 403 for a caller who may not import, not a
    complaint about their file."""
    if membership is not None and (membership.role not in IMPORTER_ROLES or membership.centre is None):
        raise PermissionDenied
    return membership


class ImporterTokenAuth(TokenAuth):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _importer_only(super().authenticate(request, token))


class ImporterSessionAuth(SessionMembershipAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _importer_only(super().authenticate(request, key))


router = Router(auth=[ImporterTokenAuth(), ImporterSessionAuth()], tags=["imports"])


class ImportErrorOut(Schema):
    row: int = Field(..., description="The row as the spreadsheet numbers it (1: the column titles, 0: the file)")
    column: str
    message: str


class ImportRunOut(Schema):
    id: uuid.UUID
    kind: ImportKind
    file_format: ImportFormat
    status: ImportStatus
    language: str
    rows_total: int
    rows_done: int
    rows_new: int
    rows_changed: int
    rows_unchanged: int
    error_count: int
    errors: list[ImportErrorOut]
    created_at: datetime.datetime
    checked_at: datetime.datetime | None
    committed_at: datetime.datetime | None


class ImportListParams(Schema):
    limit: int = Field(20, ge=1, le=100)


def _importer_centre(request: HttpRequest) -> Any:
    return require_centre(request, *IMPORTER_ROLES)


def _run(request: HttpRequest, run_id: uuid.UUID) -> ImportRun:
    try:
        return services.import_get(centre=_importer_centre(request), user=request.user, run_id=run_id)  # type: ignore[arg-type]
    except ObjectDoesNotExist:
        raise Http404 from None


def _language(request: HttpRequest) -> str:
    if "Accept-Language" in request.headers:
        return get_language() or settings.LANGUAGE_CODE
    preferred = str(getattr(request.user, "preferred_language", ""))
    return preferred if preferred in settings.STAFF_LANGUAGES else settings.LANGUAGE_CODE


@router.get("/", response=list[ImportRunOut], summary="The caller's own imports in the token's centre, newest first")
def import_list(request: HttpRequest, params: Query[ImportListParams]) -> list[ImportRun]:
    runs = services.imports_of(centre=_importer_centre(request), user=request.user)  # type: ignore[arg-type]
    return list(runs[: params.limit])


@router.post(
    "/",
    response={202: ImportRunOut},
    summary="Upload a CSV or XLSX file of one kind; its check (dry run) is queued",
)
@idempotent
def import_upload(request: HttpRequest, kind: Form[ImportKind], file: File[UploadedFile]) -> Status[ImportRun]:
    centre = _importer_centre(request)
    run = services.import_upload(
        centre=centre,
        by=request.user,  # type: ignore[arg-type]
        kind=kind,
        content=file.read(services.MAX_UPLOAD_BYTES + 1),
        language=_language(request),
    )
    return Status(202, run)


@router.get(
    "/{uuid:run_id}",
    response=ImportRunOut,
    summary="An import: status, progress (rows_done of rows_total), counts and the errors per row",
)
def import_detail(request: HttpRequest, run_id: uuid.UUID) -> ImportRun:
    return _run(request, run_id)


@router.post(
    "/{uuid:run_id}/commit",
    response={202: ImportRunOut},
    summary="Import a checked file without errors: all rows in one transaction, in a job",
)
@idempotent
def import_commit(request: HttpRequest, run_id: uuid.UUID) -> Status[ImportRun]:
    run = services.import_commit_request(run=_run(request, run_id), by=request.user)  # type: ignore[arg-type]
    return Status(202, run)
