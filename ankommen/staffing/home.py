"""The staffing module's sections of the start page: does the centre comply with the funding rule in force today,
and for the state, how many centres do not."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from ankommen.staffing import figures, selectors
from ankommen.staffing.views.posts import POST_READERS
from ankommen.staffing.views.state import STATE_READERS


def _may_open(request: HttpRequest, roles: tuple[str, ...]) -> bool:
    """Only users who may open the staffing pages see the section that links there."""
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in roles


def centre_home_panel(request: HttpRequest) -> str:
    if not _may_open(request, POST_READERS):
        return ""
    on = timezone.localdate()
    compliance, limit = selectors.centre_compliance(centre=request.centre, on=on)  # type: ignore[attr-defined]
    context = {"compliance": compliance, "limit": limit, "on": on}
    return render_to_string("staffing/_home_centre.html", context, request=request)


def state_home_panel(request: HttpRequest) -> str:
    if not _may_open(request, STATE_READERS):
        return ""
    on = timezone.localdate()
    rows = figures.state_fte_table(on=on)
    breaching = [row for row in rows if not row.compliance.complies]
    context = {"breaching": len(breaching), "centres": len(rows), "on": on}
    return render_to_string("staffing/_home_state.html", context, request=request)
