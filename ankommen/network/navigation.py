"""Navigation entries of the network module."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def navigation_entries(membership: Any) -> list[tuple[Any, str]]:
    if membership is not None and membership.is_centre_role:
        return [(_("Network"), "network:organisation_list"), (_("Referrals"), "network:referral_list")]
    return [(_("Find help nearby"), "network:finder")]
