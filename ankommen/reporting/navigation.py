"""Navigation entries of the reporting module: the dashboards."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def navigation_entries(membership: Any) -> list[tuple[Any, str]]:
    if membership is not None and membership.is_centre_role:
        return [(_("Dashboard"), "reporting:centre_dashboard")]
    if membership is not None and membership.is_state_role:
        return [(_("Centres in figures"), "reporting:state_dashboard")]
    return []
