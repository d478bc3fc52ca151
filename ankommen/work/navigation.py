"""The work module's entries in the main navigation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Role


def navigation_entries(membership: Any) -> list[tuple[Any, str]]:
    if membership is None:
        return [(_("Training and job offers"), "work:offer_board")]
    if membership.is_centre_role:
        return [
            (_("Candidates"), "work:candidate_list"),
            (_("Job offers"), "work:offer_list"),
            (_("Applications"), "work:application_list"),
            (_("Employers"), "work:employer_list"),
            (_("Work figures"), "work:figures"),
        ]
    if membership.role == Role.EMPLOYER_CONTACT:
        return [(_("Our offers and candidates"), "work:portal"), (_("Offer board"), "work:offer_board")]
    return []
