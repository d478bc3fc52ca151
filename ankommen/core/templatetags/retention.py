"""`{{ record|deletion_date }}`: the day the nightly retention job deletes a record (None while its case is open)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import template

from ankommen.core.register import retention

register = template.Library()

_BY_MODEL: dict[str, Callable[[Any], datetime.date | None]] = {
    "people.Person": retention.person_deletion_date,
    "schooling.Intake": retention.intake_deletion_date,
    "volunteering.Volunteer": retention.volunteer_deletion_date,
    "work.CandidateProfile": retention.candidate_deletion_date,
    "volunteering.SupportRequest": retention.support_request_deletion_date,
    "network.Referral": retention.referral_deletion_date,
}


@register.filter
def deletion_date(record: Any) -> datetime.date | None:
    return _BY_MODEL[record._meta.label](record)
