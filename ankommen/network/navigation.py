"""Navigation entries of the network module."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Role


def navigation_entries(membership: Any) -> list[tuple[Any, str]]:
    if membership is not None and membership.is_centre_role:
        return [(_("Network"), "network:organisation_list"), (_("Referrals"), "network:referral_list")]
    if membership is not None and membership.role == Role.PARTNER_CONTACT:
        return [(_("Partner portal"), "network:partner_home"), (_("Find help nearby"), "network:finder")]
    return [(_("Find help nearby"), "network:finder")]
