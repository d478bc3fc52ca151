"""Figures of the network module for the reporting issue: one centre's own figures, and the state's table.

Organisations, cooperations and meetings are not about persons and are counted as they are; referrals are
counts of people and reach the state only after small-number suppression (ankommen/reporting/suppression.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from ankommen.network.models import (
    Cooperation,
    FollowUpTask,
    Meeting,
    Organisation,
    OrganisationKind,
    Referral,
    ReferralOutcome,
)
from ankommen.regions.models import Centre
from ankommen.reporting.selectors import PublishedCount
from ankommen.reporting.suppression import suppress_counts, suppress_table


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


def _active_on(day: datetime.date) -> Q:
    return Q(since__lte=day) & (Q(until__isnull=True) | Q(until__gte=day))


@dataclass(frozen=True)
class CentreNetworkFigures:
    organisations_by_kind: dict[str, int]
    cooperations_active: int
    meetings: int
    open_tasks_overdue: int
    referrals_by_outcome: dict[str, int]


def centre_network_figures(*, centre: Centre, period: Period) -> CentreNetworkFigures:
    by_kind = dict(Organisation.objects.for_centre(centre).values_list("kind").annotate(n=Count("id")).order_by())
    referrals = Referral.objects.for_centre(centre).filter(referred_on__gte=period.start, referred_on__lte=period.end)
    return CentreNetworkFigures(
        organisations_by_kind={kind: by_kind.get(kind, 0) for kind in OrganisationKind.values},
        cooperations_active=Cooperation.objects.for_centre(centre).filter(_active_on(period.end)).count(),
        meetings=Meeting.objects.for_centre(centre).filter(date__gte=period.start, date__lte=period.end).count(),
        open_tasks_overdue=FollowUpTask.objects.for_centre(centre)
        .filter(done_on__isnull=True, due_on__lt=period.end)
        .count(),
        referrals_by_outcome={outcome: referrals.filter(outcome=outcome).count() for outcome in ReferralOutcome.values},
    )


@dataclass(frozen=True)
class StateNetworkFigures:
    organisations_by_kind: list[tuple[str, int]]
    cooperations_active: int
    meetings: int
    referrals_by_centre: list[tuple[str, PublishedCount]]
    referrals: PublishedCount
    referrals_by_outcome: list[tuple[str, PublishedCount]]


def state_network_figures(*, period: Period) -> StateNetworkFigures:
    by_kind = dict(Organisation.objects.dangerously_unscoped().values_list("kind").annotate(n=Count("id")).order_by())
    referrals = Referral.objects.dangerously_unscoped().filter(
        referred_on__gte=period.start, referred_on__lte=period.end
    )
    per_centre = dict(referrals.values_list("centre_id").annotate(n=Count("id")).order_by())
    centres = list(Centre.objects.order_by("name"))
    cells, total = suppress_counts([per_centre.get(c.pk, 0) for c in centres])
    per_outcome = dict(referrals.values_list("outcome").annotate(n=Count("id")).order_by())
    outcome_table = suppress_table([[per_outcome.get(o, 0)] for o in ReferralOutcome.values], column_totals=True)
    return StateNetworkFigures(
        organisations_by_kind=[(str(label), by_kind.get(kind, 0)) for kind, label in OrganisationKind.choices],
        cooperations_active=Cooperation.objects.dangerously_unscoped().filter(_active_on(period.end)).count(),
        meetings=Meeting.objects.dangerously_unscoped().filter(date__gte=period.start, date__lte=period.end).count(),
        referrals_by_centre=[(c.name, PublishedCount.of(cell)) for c, cell in zip(centres, cells, strict=True)],
        referrals=PublishedCount.of(total) if total else PublishedCount(shown=0, status="published"),
        referrals_by_outcome=[
            (str(label), PublishedCount.of(row[0]))
            for (_value, label), row in zip(ReferralOutcome.choices, outcome_table.cells, strict=True)
        ],
    )
