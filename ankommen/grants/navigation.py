"""Navigation entries of the grants module."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Role


def navigation_entries(membership: Any) -> list[tuple[Any, str]]:
    if membership is None:
        return []
    if membership.is_centre_role:
        return [(_("Grants"), "grants:grant_list")]
    if membership.is_state_role:
        return [(_("Programme funds"), "grants:state_budget")]
    if membership.role == Role.PARTNER_CONTACT:
        return [(_("Our applications"), "grants:partner_application_list")]
    return []
