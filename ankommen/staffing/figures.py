"""Staffing figures for the indicators and the state's table. Numbers only: no employee names ever leave here.

- `fte_by_source(centre=…, on=…)` → {funding source value: FTE} for one centre on one day, every source present
  (0 where the centre has none). Keys are `FundingSource` values: "state_integration", "school_ministry",
  "district", "programme".
- `state_fte_table(on=…)` → one `CentreStaffing` row per centre (all 54), ordered by centre name: FTE by source,
  teacher posts, the rule in force, the compliance and the number of flagged entries (posts saved against the
  rule that had started by the day, ended ones included). Four queries in all.

A post counts from its start to its end day, both included, filled or vacant (see compliance.py for what counts as
state-funded and as a teacher post). Staff posts are positions, not people: no small-number suppression applies.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from ankommen.regions.models import Centre
from ankommen.staffing.compliance import ZERO, Compliance, compliance_check
from ankommen.staffing.models import FundingRuleLimit, FundingSource, StaffPost


def fte_by_source(*, centre: Centre, on: datetime.date) -> dict[str, Decimal]:
    posts = StaffPost.objects.for_centre(centre).filter(starts_on__lte=on).exclude(ends_on__lt=on)
    totals = dict.fromkeys(FundingSource.values, ZERO)
    for source, fte in posts.values_list("funding_source", "fte"):
        totals[source] += fte
    return totals


@dataclass(frozen=True)
class CentreStaffing:
    centre_id: int
    centre_slug: str
    centre_name: str
    region_kind: str
    fte_by_source: dict[str, Decimal]
    total_fte: Decimal
    vacant_fte: Decimal
    teacher_posts: Decimal
    rule_name: str | None
    max_state_fte: Decimal | None
    min_teacher_posts: Decimal | None
    compliance: Compliance
    flagged_posts: int

    @property
    def state_fte(self) -> Decimal:
        return self.fte_by_source[FundingSource.STATE_INTEGRATION]


def state_fte_table(*, on: datetime.date) -> list[CentreStaffing]:
    centres = list(Centre.objects.select_related("region").order_by("name"))
    # The state's table reads every centre's posts, as numbers: the one reason to leave the centre scope here.
    posts = list(
        StaffPost.objects.dangerously_unscoped()
        .filter(starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .only("centre_id", "fte", "funding_source", "starts_on", "ends_on", "filled_by")
    )
    by_centre: dict[int, list[StaffPost]] = defaultdict(list)
    for post in posts:
        by_centre[post.centre_id].append(post)
    limits = {
        limit.region_kind: limit
        for limit in FundingRuleLimit.objects.select_related("rule")
        .filter(rule__valid_from__lte=on)
        .exclude(rule__valid_until__lt=on)
    }
    # Entries saved against the rule that had started by the day, ended ones included: ending a teacher post
    # without a successor is such an entry, and its breach lasts after its end.
    flagged = dict(
        StaffPost.objects.dangerously_unscoped()
        .filter(breaks_rule=True, starts_on__lte=on)
        .values_list("centre_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = []
    for centre in centres:
        own = by_centre.get(centre.pk, [])
        totals = dict.fromkeys(FundingSource.values, ZERO)
        for post in own:
            totals[post.funding_source] += post.fte
        limit = limits.get(centre.region.kind)
        compliance = compliance_check(posts=own, limit=limit, on=on)
        rows.append(
            CentreStaffing(
                centre_id=centre.pk,
                centre_slug=centre.slug,
                centre_name=centre.name,
                region_kind=centre.region.kind,
                fte_by_source=totals,
                total_fte=sum(totals.values(), ZERO),
                vacant_fte=sum((p.fte for p in own if not p.filled_by), ZERO),
                teacher_posts=compliance.teacher_posts,
                rule_name=limit.rule.name if limit else None,
                max_state_fte=limit.max_state_fte if limit else None,
                min_teacher_posts=limit.min_teacher_posts if limit else None,
                compliance=compliance,
                flagged_posts=flagged.get(centre.pk, 0),
            )
        )
    return rows
