"""Access helpers and small parts shared by the grants views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.grants.forms import year_choices
from ankommen.people.views.common import centre_roles_required

__all__ = ["analyst_required", "centre_roles_required", "chosen_year", "state_roles_required"]

# Both state roles read the budget figures; only the state analyst sets budgets and allocations.
state_roles_required = role_required(Role.STATE_ANALYST, Role.RESEARCHER)
analyst_required = role_required(Role.STATE_ANALYST)


def chosen_year(request: HttpRequest) -> int:
    """The year asked for in ?year=, if it is one of the offered years; else the current year."""
    offered = {year for year, _label in year_choices()}
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if year in offered else timezone.localdate().year


def centre_of(request: HttpRequest) -> Any:
    return request.centre  # type: ignore[attr-defined]
