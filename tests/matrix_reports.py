"""Permission matrix rows of the annual reports and their exports (see tests/matrix_types.py).

A centre's report is always the caller's own centre: no centre is named in the URL, so "other centre" callers
get their own centre's report (200), never another's; the tests in ankommen/reporting/tests check the figures.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.matrix_types import Access, Route, World

C, S = Access.CENTRE, Access.STATE


def _year(w: World) -> dict[str, Any]:
    return {"year": timezone.localdate().year - 1}


def _table(w: World) -> dict[str, Any]:
    return {**_year(w), "table": 1}


ROUTES: dict[str, Route] = {
    "reporting:annual_report_centre": Route(C),
    "reporting:annual_report_centre_pdf": Route(C, kwargs=_year),
    "reporting:annual_report_centre_xlsx": Route(C, kwargs=_year),
    "reporting:annual_report_centre_csv": Route(C, kwargs=_table),
    "reporting:annual_report_state": Route(S),
    "reporting:annual_report_state_pdf": Route(S, kwargs=_year),
    "reporting:annual_report_state_xlsx": Route(S, kwargs=_year),
    "reporting:annual_report_state_csv": Route(S, kwargs=_table),
}
