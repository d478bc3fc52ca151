"""Reads of the staffing module: a centre's posts, the rule in force, a centre's compliance."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from ankommen.core.access import get_object_for_centre
from ankommen.staffing.compliance import Compliance, compliance_check
from ankommen.staffing.models import FundingRule, FundingRuleLimit, StaffPost

if TYPE_CHECKING:
    from ankommen.regions.models import Centre


def posts_of_centre(*, centre: Centre, include_ended: bool = True) -> QuerySet[StaffPost]:
    posts = StaffPost.objects.for_centre(centre)
    return posts if include_ended else posts.filter(ends_on__isnull=True)


def post_of_centre(*, centre: Centre, post_id: int) -> StaffPost:
    post: StaffPost = get_object_for_centre(StaffPost.objects.all(), centre, pk=post_id)
    return post


def rules() -> list[FundingRule]:
    """Every version of the funding rule, oldest first, with its limits."""
    return list(
        FundingRule.objects.order_by("valid_from").prefetch_related(
            Prefetch("limits", queryset=FundingRuleLimit.objects.order_by("region_kind"))
        )
    )


def rule_in_force(*, on: datetime.date) -> FundingRule | None:
    return (
        FundingRule.objects.filter(valid_from__lte=on)
        .exclude(valid_until__lt=on)
        .prefetch_related("limits")
        .order_by("-valid_from")
        .first()
    )


def limit_in_force(*, region_kind: str, on: datetime.date) -> FundingRuleLimit | None:
    return (
        FundingRuleLimit.objects.select_related("rule")
        .filter(region_kind=region_kind, rule__valid_from__lte=on)
        .exclude(rule__valid_until__lt=on)
        .first()
    )


def limits_of_kind(*, region_kind: str) -> list[FundingRuleLimit]:
    return list(FundingRuleLimit.objects.select_related("rule").filter(region_kind=region_kind))


def limit_on(limits: list[FundingRuleLimit], on: datetime.date) -> FundingRuleLimit | None:
    for limit in limits:
        if limit.rule.is_in_force_on(on):
            return limit
    return None


def centre_compliance(*, centre: Centre, on: datetime.date) -> tuple[Compliance, FundingRuleLimit | None]:
    limit = limit_in_force(region_kind=centre.region.kind, on=on)
    posts = StaffPost.objects.for_centre(centre).filter(starts_on__lte=on).exclude(ends_on__lt=on)
    return compliance_check(posts=list(posts), limit=limit, on=on), limit


def flagged_posts(*, centre: Centre, on: datetime.date) -> list[StaffPost]:
    """Posts saved against the rule that had started by `on`, ended ones included (an ending can be the breach)."""
    return list(StaffPost.objects.for_centre(centre).filter(breaks_rule=True, starts_on__lte=on))
