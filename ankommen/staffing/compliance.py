"""Does a centre's staffing comply with the funding rule in force? A pure function over posts and limits.

What counts:
- state-funded FTE are the FTE of posts paid from the state integration funds (the integration ministry's posts).
  School-ministry teacher posts are the state's too, but the rule counts them apart: they are the teacher minimum,
  not part of the maximum. The district's own posts and programme posts are not limited.
- teacher posts are the FTE of school-ministry teacher posts (a teacher paid by the district does not count).
- a post counts from its start to its end, both days included, whether filled or vacant: the rule is about posts.
No database access here: callers pass the posts and the limits (model instances or anything with these attributes).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ankommen.staffing.models import FundingSource

ZERO = Decimal("0")


class PostLike(Protocol):
    fte: Decimal
    funding_source: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class LimitLike(Protocol):
    max_state_fte: Decimal
    min_teacher_posts: Decimal


class ComplianceStatus(models.TextChoices):
    COMPLIES = "complies", _("complies")
    BREACHES = "breaches", _("breaks the rule")
    NO_RULE = "no_rule", _("no rule in force")


@dataclass(frozen=True)
class Compliance:
    on: datetime.date
    status: ComplianceStatus
    state_fte: Decimal
    teacher_posts: Decimal
    max_state_fte: Decimal | None
    min_teacher_posts: Decimal | None
    excess_state_fte: Decimal = ZERO
    teacher_shortfall: Decimal = ZERO
    messages: list[str] = field(default_factory=list)

    @property
    def complies(self) -> bool:
        return self.status != ComplianceStatus.BREACHES

    def is_worse_than(self, other: Compliance) -> bool:
        """True when this state breaks the rule more than `other` (more excess FTE or a larger teacher shortfall)."""
        return self.excess_state_fte > other.excess_state_fte or self.teacher_shortfall > other.teacher_shortfall


def format_fte(value: Decimal) -> str:
    """1 → "1.0", 5.50 → "5.5", 0.75 → "0.75", with the decimal separator of the active language."""
    normal = value.quantize(Decimal("0.01")).normalize()
    places = max(1, -normal.as_tuple().exponent)  # type: ignore[operator]
    return number_format(value, decimal_pos=places)


def posts_active_on(posts: Iterable[PostLike], on: datetime.date) -> list[PostLike]:
    return [p for p in posts if p.starts_on <= on and (p.ends_on is None or p.ends_on >= on)]


def compliance_check(*, posts: Iterable[PostLike], limit: LimitLike | None, on: datetime.date) -> Compliance:
    """The compliance of one centre's `posts` (all of them; those not active `on` are left out) with `limit`."""
    active = posts_active_on(posts, on)
    state_fte = sum((p.fte for p in active if p.funding_source == FundingSource.STATE_INTEGRATION), ZERO)
    teacher_posts = sum((p.fte for p in active if p.funding_source == FundingSource.SCHOOL_MINISTRY), ZERO)
    if limit is None:
        return Compliance(
            on=on,
            status=ComplianceStatus.NO_RULE,
            state_fte=state_fte,
            teacher_posts=teacher_posts,
            max_state_fte=None,
            min_teacher_posts=None,
        )
    messages = []
    excess = max(ZERO, state_fte - limit.max_state_fte)
    shortfall = max(ZERO, limit.min_teacher_posts - teacher_posts)
    if excess:
        messages.append(
            str(
                _("%(fte)s state-funded FTE exceed the maximum of %(maximum)s.")
                % {"fte": format_fte(state_fte), "maximum": format_fte(limit.max_state_fte)}
            )
        )
    if shortfall:
        # Plural by the whole posts: "1 teacher post", "1.5 teacher posts".
        count = int(teacher_posts) if teacher_posts == teacher_posts.to_integral_value() else 2
        messages.append(
            ngettext(
                "%(posts)s teacher post, at least %(minimum)s required.",
                "%(posts)s teacher posts, at least %(minimum)s required.",
                count,
            )
            % {"posts": _whole_or_fte(teacher_posts), "minimum": _whole_or_fte(limit.min_teacher_posts)}
        )
    return Compliance(
        on=on,
        status=ComplianceStatus.BREACHES if messages else ComplianceStatus.COMPLIES,
        state_fte=state_fte,
        teacher_posts=teacher_posts,
        max_state_fte=limit.max_state_fte,
        min_teacher_posts=limit.min_teacher_posts,
        excess_state_fte=excess,
        teacher_shortfall=shortfall,
        messages=messages,
    )


def _whole_or_fte(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else format_fte(value)
