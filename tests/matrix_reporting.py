"""Permission matrix rows of the dashboards and the indicators API (see tests/matrix_types.py).

The centre's dashboard: every centre role; the month's own figures: lead and staff; the targets: the lead. The
state's dashboard: state analysts and researchers; its traffic lights: state analysts only. The API: the own
centre's indicators for centre roles, the state table for centre and state roles (centre roles see the others
suppressed), the definitions for both.
"""

from __future__ import annotations

from typing import Any

from ankommen.accounts.models import CENTRE_ROLES, STATE_ROLES, Role
from tests.matrix_types import Access, ApiRoute, Route, World

C = Access.CENTRE
L = Access.LEAD
S = Access.STATE


def _lead_and_staff(role: Role | None, own_centre: bool) -> set[int]:
    if role is None:
        return {302}
    return {200} if role in {Role.CENTRE_LEAD, Role.CENTRE_STAFF} else {403}


def _analyst_only(role: Role | None, own_centre: bool) -> set[int]:
    if role is None:
        return {302}
    return {200} if role == Role.STATE_ANALYST else {403}


def _centre_and_state(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    if role is None:
        return set(), {401}
    if role in CENTRE_ROLES | STATE_ROLES:
        return {200}, set()
    return set(), {403}


def _manual_figures(w: World) -> dict[str, Any]:
    return {
        "month": "2026-01",
        "counselling_contacts": "12",
        "events_held": "2",
        "event_participants": "40",
        "schools_advised": "1",
    }


ROUTES: dict[str, Route] = {
    "reporting:centre_dashboard": Route(C),
    "reporting:centre_dashboard_csv": Route(C),
    "reporting:centre_dashboard_xlsx": Route(C),
    "reporting:manual_figure_edit": Route(C, post=_manual_figures, expect=_lead_and_staff),
    "reporting:target_edit": Route(L, post=lambda w: {"children_placed": "5"}),
    "reporting:state_dashboard": Route(S),
    "reporting:state_dashboard_csv": Route(S),
    "reporting:state_dashboard_xlsx": Route(S),
    "reporting:threshold_edit": Route(
        S,
        post=lambda w: {
            "indicator": "children_placed",
            "measure": "per_10000",
            "on_track_from": "2",
            "attention_below": "1",
        },
        expect=_analyst_only,
    ),
}

API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("get", "/api/v1/indicators/definitions"): ApiRoute(
        C, lambda w: "/api/v1/indicators/definitions", expect=_centre_and_state
    ),
    ("get", "/api/v1/indicators/centre"): ApiRoute(C, lambda w: "/api/v1/indicators/centre"),
    ("get", "/api/v1/indicators/state"): ApiRoute(C, lambda w: "/api/v1/indicators/state", expect=_centre_and_state),
}

TABLES = [
    "reporting_manualfigure",
    "reporting_manualfigureevent",
    "reporting_indicatortarget",
    "reporting_indicatortargetevent",
    "reporting_statusthreshold",
    "reporting_statusthresholdevent",
]
