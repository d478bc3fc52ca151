"""Demo data of the dashboards: the state's traffic lights, the demo centres' own figures of the last months and
a few targets. Deterministic from the seed; skips what exists."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from decimal import Decimal

from ankommen.accounts.models import User
from ankommen.people.demo.users import DEMO_CENTRE_SLUGS, demo_email
from ankommen.regions.models import Centre, School
from ankommen.reporting.dashboard_services import manual_figure_save, target_set, threshold_set
from ankommen.reporting.indicators import last_months
from ankommen.reporting.models import Measure, StatusThreshold

# (indicator, measured as, on track from, needs action beyond): modest values a state analyst might start with.
THRESHOLDS = [
    ("children_waiting", Measure.PER_10000, Decimal("2"), Decimal("5")),
    ("volunteers_active", Measure.PER_10000, Decimal("1"), Decimal("0.2")),
    ("cooperations", Measure.PER_10000, Decimal("0.3"), Decimal("0.05")),
]
TARGETS = [("children_placed", Decimal("20")), ("volunteers_active", Decimal("100")), ("placements", Decimal("10"))]


def seed_demo(*, centres: Sequence[Centre], seed: int, size: str, log: Callable[[str], object]) -> str:
    analyst = User.objects.filter(email=demo_email("analyst")).first()
    thresholds = 0
    if analyst is not None and not StatusThreshold.objects.exists():
        for indicator, measure, on_track_from, attention_below in THRESHOLDS:
            threshold_set(
                by=analyst,
                indicator=indicator,
                measure=measure,
                on_track_from=on_track_from,
                attention_below=attention_below,
            )
            thresholds += 1
    months = 0
    for centre in centres:
        if centre.slug not in DEMO_CENTRE_SLUGS:
            continue
        lead = User.objects.filter(email=demo_email("lead", centre)).first()
        if lead is None:
            continue
        from ankommen.reporting.models import ManualFigure

        if ManualFigure.objects.for_centre(centre).exists():
            continue
        rng = random.Random(f"{seed}-reporting-{centre.slug}")  # noqa: S311 (demo data, not secrets)
        # The form refuses more schools advised than the centre's area has.
        schools_in_area = School.objects.filter(municipality__centre=centre).count()
        # The months before the current one: this month's figures are entered when it is over.
        for month in last_months(13)[:-1]:
            events = rng.randint(0, 6)
            manual_figure_save(
                centre=centre,
                by=lead,
                month=month,
                counselling_contacts=rng.randint(10, 80),
                events_held=events,
                event_participants=events * rng.randint(8, 40),
                schools_advised=rng.randint(0, min(5, schools_in_area)),
            )
            months += 1
        for indicator, value in TARGETS:
            target_set(centre=centre, by=lead, indicator=indicator, value=value)
    return f"reporting: {thresholds} traffic lights, {months} months of own figures in the demo centres"
