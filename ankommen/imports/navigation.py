"""Navigation entries of imports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Role


def navigation_entries(membership: Any) -> list[tuple[Any, str]]:
    if membership is not None and membership.role in {Role.CENTRE_LEAD, Role.CENTRE_STAFF}:
        return [(_("Imports"), "imports:import_list")]
    return []
