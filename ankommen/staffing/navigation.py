"""Navigation entries of the staffing module."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def navigation_entries(membership: Any) -> list[tuple[Any, str]]:
    if membership is None:
        return []
    if membership.is_centre_role:
        return [(_("Staff posts"), "staffing:post_list")]
    if membership.is_state_role:
        return [(_("Staff posts of the centres"), "staffing:state_table"), (_("Funding rules"), "staffing:rule_list")]
    return []
