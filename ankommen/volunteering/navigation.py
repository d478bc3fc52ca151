"""Navigation entries of the volunteers module."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Role


def navigation_entries(membership: Any) -> list[tuple[Any, str]]:
    if membership is None:
        return [(_("Volunteer with us"), "volunteering:signup")]
    if membership.is_centre_role:
        return [
            (_("Volunteers"), "volunteering:volunteer_list"),
            (_("Support requests"), "volunteering:request_list"),
            (_("Shifts"), "volunteering:shift_plan"),
            (_("Hours to confirm"), "volunteering:hours_list"),
        ]
    if membership.role == Role.PARTNER_CONTACT:
        return [(_("Ask for a volunteer"), "volunteering:partner_request_list")]
    if membership.role == Role.VOLUNTEER:
        return [(_("My volunteering"), "volunteering:portal"), (_("Shifts"), "volunteering:shift_board")]
    return []
