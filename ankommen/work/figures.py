"""Figures of work and training per centre and month, for the centre's own page and for the reporting module.

- active candidates: profiles that exist at the end of the month, are not paused or closed, and had no contract
  signed before the month began;
- placements by kind: contracts signed in the month, by kind of offer (also those that ended later);
- median days from profile to contract: over the contracts signed in the month;
- still employed after six months: of the follow-ups falling due in the month, how many were still there.

`centre_months` reads one centre. `state_months` reads every centre (the reporting module's bypass) and suppresses
counts from 1 to 4 for state users, so that no one placement can be picked out.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ankommen.reporting.suppression import DEFAULT_THRESHOLD, suppress_counts
from ankommen.work.models import Application, CandidateProfile, CandidateStatus, OfferKind, Stage

MONTHS_SHOWN = 12
PLACED_STAGES = (Stage.CONTRACT, Stage.FOLLOWED_UP)


@dataclass
class MonthFigures:
    centre_id: int
    month: datetime.date
    active_candidates: int = 0
    placements: dict[str, int] = field(default_factory=dict)
    median_days_to_contract: float | None = None
    followed_up: int = 0
    still_employed: int = 0

    @property
    def placements_total(self) -> int:
        return sum(self.placements.values())


@dataclass(frozen=True)
class ShownFigures:
    """A month of one centre as a state user sees it: None where a small count is suppressed."""

    centre_id: int
    month: datetime.date
    active_candidates: int | None
    placements: dict[str, int | None]
    median_days_to_contract: float | None
    followed_up: int | None
    still_employed: int | None


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def recent_months(count: int = MONTHS_SHOWN, today: datetime.date | None = None) -> list[datetime.date]:
    month = month_start(today or timezone.localdate())
    months = [month]
    for _ in range(count - 1):
        month = month_start(month - datetime.timedelta(days=1))
        months.append(month)
    return sorted(months)


def _placement_rows(applications: Any) -> list[dict[str, Any]]:
    """Signed contracts, also of applications that ended after the contract."""
    rows = applications.filter(contract_signed_on__isnull=False).values(
        "centre_id", "offer__kind", "contract_signed_on", "profile__created_at", "stage", "ended_at_stage"
    )
    return [row for row in rows if row["stage"] in PLACED_STAGES or row["ended_at_stage"] in PLACED_STAGES]


def compute(
    *, profiles: Any, applications: Any, months: Iterable[datetime.date], centre_ids: Iterable[int]
) -> list[MonthFigures]:
    """The figures of each centre and month from scoped (or deliberately unscoped) querysets."""
    months = sorted(months)
    table = {(c, m): MonthFigures(c, m) for c in centre_ids for m in months}
    placements = _placement_rows(applications)
    profile_first_contract: dict[int, datetime.date] = {}
    for row in applications.filter(contract_signed_on__isnull=False).values("profile_id", "contract_signed_on"):
        known = profile_first_contract.get(row["profile_id"])
        if known is None or row["contract_signed_on"] < known:
            profile_first_contract[row["profile_id"]] = row["contract_signed_on"]
    for profile in profiles.exclude(status__in=[CandidateStatus.PAUSED, CandidateStatus.CLOSED]).values(
        "id", "centre_id", "created_at"
    ):
        created = timezone.localdate(profile["created_at"])
        contract = profile_first_contract.get(profile["id"])
        for month in months:
            if created < next_month(month) and (contract is None or contract >= month):
                cell = table.get((profile["centre_id"], month))
                if cell is not None:
                    cell.active_candidates += 1
    days: dict[tuple[int, datetime.date], list[int]] = defaultdict(list)
    for row in placements:
        key = (row["centre_id"], month_start(row["contract_signed_on"]))
        cell = table.get(key)
        if cell is None:
            continue
        cell.placements[row["offer__kind"]] = cell.placements.get(row["offer__kind"], 0) + 1
        days[key].append((row["contract_signed_on"] - timezone.localdate(row["profile__created_at"])).days)
    for key, values in days.items():
        table[key].median_days_to_contract = float(statistics.median(values))
    followed = applications.filter(stage=Stage.FOLLOWED_UP).values("centre_id", "follow_up_due", "still_employed")
    for row in followed:
        cell = table.get((row["centre_id"], month_start(row["follow_up_due"])))
        if cell is not None:
            cell.followed_up += 1
            cell.still_employed += 1 if row["still_employed"] else 0
    return sorted(table.values(), key=lambda cell: (cell.centre_id, cell.month))


def centre_months(*, centre: Any, months: Iterable[datetime.date] | None = None) -> list[MonthFigures]:
    """The centre's own figures, unsuppressed: staff of the centre know their cases anyway."""
    return compute(
        profiles=CandidateProfile.objects.for_centre(centre),
        applications=Application.objects.for_centre(centre),
        months=months or recent_months(),
        centre_ids=[centre.pk],
    )


@dataclass(frozen=True)
class CentreSummary:
    active_candidates: int
    placements: dict[str, int]
    placements_total: int
    median_days_to_contract: float | None
    followed_up: int
    still_employed: int


def centre_summary(*, centre: Any) -> CentreSummary:
    """The centre's figures now: looking candidates, and all placements so far."""
    profiles = CandidateProfile.objects.for_centre(centre)
    applications = Application.objects.for_centre(centre)
    placed = _placement_rows(applications)
    by_kind = {kind: sum(1 for row in placed if row["offer__kind"] == kind) for kind in OfferKind.values}
    days = [(row["contract_signed_on"] - timezone.localdate(row["profile__created_at"])).days for row in placed]
    followed = applications.filter(stage=Stage.FOLLOWED_UP)
    return CentreSummary(
        active_candidates=profiles.filter(status=CandidateStatus.ACTIVE).count(),
        placements=by_kind,
        placements_total=len(placed),
        median_days_to_contract=float(statistics.median(days)) if days else None,
        followed_up=followed.count(),
        still_employed=followed.filter(still_employed=True).count(),
    )


def state_months(
    *, months: Iterable[datetime.date] | None = None, threshold: int = DEFAULT_THRESHOLD
) -> list[ShownFigures]:
    """Every centre's figures for the state's users, with small counts suppressed per column and month."""
    from ankommen.regions.models import Centre

    months = list(months or recent_months())
    rows = compute(
        # The reporting module's reading across centres: aggregates only, suppressed below.
        profiles=CandidateProfile.objects.dangerously_unscoped(),
        applications=Application.objects.dangerously_unscoped(),
        months=months,
        centre_ids=list(Centre.objects.values_list("pk", flat=True)),
    )
    return suppress_rows(rows, threshold=threshold)


def suppress_rows(rows: list[MonthFigures], *, threshold: int = DEFAULT_THRESHOLD) -> list[ShownFigures]:
    """Suppress each count column within one month across the centres (the published table), with its total."""
    shown: list[ShownFigures] = []
    by_month: dict[datetime.date, list[MonthFigures]] = defaultdict(list)
    for row in rows:
        by_month[row.month].append(row)

    def column(cells: list[MonthFigures], value: Any) -> list[int | None]:
        suppressed, _total = suppress_counts([value(cell) for cell in cells], threshold=threshold)
        return [cell.shown for cell in suppressed]

    for month in sorted(by_month):
        cells = by_month[month]
        active = column(cells, lambda c: c.active_candidates)
        kinds = {kind: column(cells, lambda c, k=kind: c.placements.get(k, 0)) for kind in OfferKind.values}
        placed_total = column(cells, lambda c: c.placements_total)
        followed = column(cells, lambda c: c.followed_up)
        still = column(cells, lambda c: c.still_employed)
        for index, cell in enumerate(cells):
            shown.append(
                ShownFigures(
                    centre_id=cell.centre_id,
                    month=month,
                    active_candidates=active[index],
                    placements={kind: kinds[kind][index] for kind in OfferKind.values},
                    # A median of fewer than `threshold` contracts would describe too few people.
                    median_days_to_contract=cell.median_days_to_contract if placed_total[index] else None,
                    followed_up=followed[index],
                    still_employed=still[index],
                )
            )
    return shown
