"""The staffing demo on the real reference data: all 54 centres get posts, so that the state's table is full."""

import datetime
import time

import pytest
from django.core.management import call_command

from ankommen.regions.models import Centre
from ankommen.staffing.demo import seed_demo
from ankommen.staffing.figures import state_fte_table

pytestmark = pytest.mark.django_db


def test_the_demo_staffs_all_54_centres_of_the_reference_data():
    call_command("load_reference_data")
    centres = list(Centre.objects.all())
    assert len(centres) == 54
    started = time.perf_counter()
    line = seed_demo(centres=centres, seed=2026, size="small", log=print)
    print(line, f"in {time.perf_counter() - started:.1f} s")
    rows = state_fte_table(on=datetime.date(2026, 11, 1))
    assert len(rows) == 54
    assert all(row.total_fte > 0 for row in rows)
    breaking = [row for row in rows if not row.compliance.complies]
    assert 3 <= len(breaking) <= 6
    assert all(row.flagged_posts for row in breaking)
