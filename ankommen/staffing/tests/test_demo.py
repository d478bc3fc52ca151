"""The demo gives every centre posts, deterministically, and a few centres break the rule (flagged)."""

from __future__ import annotations

import datetime

import pytest

from ankommen.regions.models import RegionKind
from ankommen.regions.tests.factories import CentreFactory
from ankommen.staffing.demo import seed_demo
from ankommen.staffing.figures import state_fte_table
from ankommen.staffing.models import StaffPost

pytestmark = pytest.mark.django_db


def test_every_centre_gets_posts_and_a_few_break_the_rule():
    centres = [
        CentreFactory(region__kind=[RegionKind.CITY, RegionKind.DISTRICT, RegionKind.CITY_REGION][n % 3])
        for n in range(20)
    ]
    line = seed_demo(centres=centres, seed=2026, size="small", log=print)
    assert line.startswith("Staffing:")
    rows = state_fte_table(on=datetime.date(2026, 6, 1))
    assert all(row.total_fte > 0 for row in rows)
    breaking = [row for row in rows if not row.compliance.complies]
    assert 1 <= len(breaking) <= 4
    assert all(row.flagged_posts for row in breaking)
    # Before the later rule, every centre kept the build-up rule.
    assert all(row.compliance.complies for row in state_fte_table(on=datetime.date(2020, 6, 1)))
    first = sorted(StaffPost.objects.dangerously_unscoped().values_list("title", "fte", "starts_on", "filled_by"))
    # Deterministic and idempotent: a second run adds nothing.
    seed_demo(centres=centres, seed=2026, size="small", log=print)
    assert (
        sorted(StaffPost.objects.dangerously_unscoped().values_list("title", "fte", "starts_on", "filled_by")) == first
    )
