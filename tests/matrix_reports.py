"""Permission matrix rows of the annual reports, their exports and the files prepared by a job (see
tests/matrix_types.py).

A centre's report is always the caller's own centre: no centre is named in the URL, so "other centre" callers
get their own centre's report (200), never another's; the tests in ankommen/reporting/tests check the figures.
The PDF is asked for by POST and prepared by a job; a prepared file belongs to the user who asked for it: the
world's file is a stranger's, so every caller who may have files gets 404 for it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ankommen.accounts.models import CENTRE_ROLES, STATE_ROLES, Role
from ankommen.accounts.tests.factories import UserFactory
from ankommen.reporting.models import PreparedFile, PreparedFileKind, PreparedFileStatus
from tests.matrix_types import Access, Route, World

C, S = Access.CENTRE, Access.STATE


def _year(w: World) -> dict[str, Any]:
    return {"year": timezone.localdate().year - 1}


def _table(w: World) -> dict[str, Any]:
    return {**_year(w), "table": 1}


def _stranger_file(w: World) -> dict[str, Any]:
    return {"file_id": w.extra["prepared_file"].pk}


def _strangers_file(role: Role | None, own_centre: bool) -> set[int]:
    if role is None:
        return {302}
    return {404} if role in CENTRE_ROLES | STATE_ROLES else {403}


def extend_world(world: World) -> None:
    world.extra["prepared_file"] = PreparedFile.objects.create(
        kind=PreparedFileKind.STATE_ANNUAL_REPORT,
        status=PreparedFileStatus.READY,
        requested_by=UserFactory(),
        role=Role.STATE_ANALYST,
        parameters={"year": 2025, "language": "de"},
        title="Jahresbericht 2025",
        filename="jahresbericht-nrw-2025.pdf",
        content_type="application/pdf",
        content=b"%PDF-1.7 stranger",
    )


TABLES = ["reporting_preparedfile"]

ROUTES: dict[str, Route] = {
    "reporting:annual_report_centre": Route(C),
    "reporting:annual_report_centre_pdf": Route(C, kwargs=_year, post=lambda w: {}, get_allowed=False),
    "reporting:annual_report_centre_xlsx": Route(C, kwargs=_year),
    "reporting:annual_report_centre_csv": Route(C, kwargs=_table),
    "reporting:annual_report_state": Route(S),
    "reporting:annual_report_state_pdf": Route(S, kwargs=_year, post=lambda w: {}, get_allowed=False),
    "reporting:annual_report_state_xlsx": Route(S, kwargs=_year),
    "reporting:annual_report_state_csv": Route(S, kwargs=_table),
    "reporting:prepared_file_detail": Route(Access.ACCOUNT, kwargs=_stranger_file, expect=_strangers_file),
    "reporting:prepared_file_progress": Route(Access.ACCOUNT, kwargs=_stranger_file, expect=_strangers_file),
    "reporting:prepared_file_download": Route(Access.ACCOUNT, kwargs=_stranger_file, expect=_strangers_file),
}
