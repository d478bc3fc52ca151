"""Reads of the dashboards: targets, traffic lights, what needs attention, and the comparison with other centres.

The figures themselves come from `ankommen/reporting/indicators.py`; what needs attention comes from the
modules' own selectors, so that the dashboard and the module's page count alike.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ankommen.reporting.indicators import (
    INDICATOR_BY_KEY,
    CentreIndicators,
    Figure,
    Indicator,
    StateIndicators,
    all_indicators,
    previous_month,
    state_indicators,
)
from ankommen.reporting.models import IndicatorTarget, ManualFigure, Measure, StatusThreshold
from ankommen.reporting.nrw_map import MapStatus, status_label

# The shapes beside the words: the status is never told by colour alone.
STATUS_SYMBOLS = {
    MapStatus.ON_TRACK: "●",
    MapStatus.WATCH: "▲",
    MapStatus.ACTION: "◆",
    MapStatus.UNKNOWN: "○",
}
_SEVERITY = {MapStatus.UNKNOWN: -1, MapStatus.ON_TRACK: 0, MapStatus.WATCH: 1, MapStatus.ACTION: 2}


@dataclass(frozen=True)
class StatusShown:
    status: MapStatus
    reasons: list[str]

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]

    @property
    def label(self) -> str:
        return status_label(self.status)

    @property
    def css(self) -> str:
        return self.status.value.replace("_", "-")


def indicator_choices() -> list[tuple[str, str]]:
    return [(indicator.key, str(indicator.label)) for indicator in all_indicators()]


# Traffic lights --------------------------------------------------------------------------------------------


def thresholds() -> list[StatusThreshold]:
    return [row for row in StatusThreshold.objects.order_by("indicator") if row.indicator in INDICATOR_BY_KEY]


def threshold_text(rule: StatusThreshold) -> str:
    indicator = INDICATOR_BY_KEY[rule.indicator]
    values = {
        "indicator": indicator.label,
        "measure": rule.get_measure_display(),  # type: ignore[attr-defined]
        "good": number_format(rule.on_track_from),
        "bad": number_format(rule.attention_below),
    }
    if indicator.higher_is_better is False:
        return _("%(indicator)s (%(measure)s): on track up to %(good)s, needs action above %(bad)s") % values
    return _("%(indicator)s (%(measure)s): on track from %(good)s, needs action below %(bad)s") % values


def classify(value: float | None, threshold: StatusThreshold, indicator: Indicator) -> MapStatus:
    if value is None:
        return MapStatus.UNKNOWN
    number = Decimal(str(value))
    if indicator.higher_is_better is False:
        if number <= threshold.on_track_from:
            return MapStatus.ON_TRACK
        return MapStatus.ACTION if number > threshold.attention_below else MapStatus.WATCH
    if number >= threshold.on_track_from:
        return MapStatus.ON_TRACK
    return MapStatus.ACTION if number < threshold.attention_below else MapStatus.WATCH


def measured(figure: Figure, threshold: StatusThreshold) -> float | None:
    # Only what is published is judged: a light computed from a hidden count would hint at it.
    if figure.value is None:
        return None
    return figure.per_10000 if threshold.measure == Measure.PER_10000 else float(figure.value)


def centre_statuses(
    state: StateIndicators, month: datetime.date, rules: list[StatusThreshold]
) -> dict[int, StatusShown]:
    """Each centre's worst light over the thresholds set; "no figures" when none could be judged."""
    shown: dict[int, StatusShown] = {}
    for centre in state.centres:
        worst = MapStatus.UNKNOWN
        reasons: list[str] = []
        for rule in rules:
            indicator = INDICATOR_BY_KEY[rule.indicator]
            status = classify(measured(state.figure(centre.id, month, rule.indicator), rule), rule, indicator)
            if status in {MapStatus.WATCH, MapStatus.ACTION}:
                reasons.append(f"{indicator.label}: {status_label(status)}")
            if _SEVERITY[status] > _SEVERITY[worst]:
                worst = status
        shown[centre.id] = StatusShown(worst, reasons)
    return shown


# Targets ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    indicator: Indicator
    target: Decimal
    value: float | int | None
    met: bool | None

    @property
    def status(self) -> StatusShown:
        if self.met is None:
            return StatusShown(MapStatus.UNKNOWN, [])
        return StatusShown(MapStatus.ON_TRACK if self.met else MapStatus.ACTION, [])


def targets_of(*, centre: Any) -> dict[str, IndicatorTarget]:
    return {
        target.indicator: target
        for target in IndicatorTarget.objects.for_centre(centre)
        if target.indicator in INDICATOR_BY_KEY
    }


def target_rows(*, centre: Any, figures: CentreIndicators, month: datetime.date) -> list[TargetRow]:
    targets = targets_of(centre=centre)
    rows = []
    for indicator in figures.indicators:
        target = targets.get(indicator.key)
        if target is None:
            continue
        value = figures.value(indicator.key, month)
        met: bool | None = None
        if value is not None:
            met = value <= target.value if indicator.higher_is_better is False else value >= target.value
        rows.append(TargetRow(indicator=indicator, target=target.value, value=value, met=met))
    return rows


# What needs attention --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttentionItem:
    text: str
    url_name: str


def attention_items(
    *, centre: Any, figures: CentreIndicators, today: datetime.date | None = None
) -> list[AttentionItem]:
    """Open work the modules know about, and the dashboard's own reminders; only items with something to do."""
    from ankommen.network.models import FollowUpTask
    from ankommen.schooling.selectors import IntakeFilters, intake_list, waiting_limit_days
    from ankommen.volunteering.selectors import hours_to_confirm
    from ankommen.work.models import Application, Stage

    today = today or timezone.localdate()
    items: list[AttentionItem] = []
    waiting = intake_list(centre=centre, filters=IntakeFilters(over_limit_only=True), today=today).count()
    if waiting:
        limit = waiting_limit_days()
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)d child has been waiting for a school place for more than %(days)d days.",
                    "%(count)d children have been waiting for a school place for more than %(days)d days.",
                    waiting,
                )
                % {"count": waiting, "days": limit},
                "schooling:intake_list",
            )
        )
    unconfirmed = hours_to_confirm(centre=centre).count()
    if unconfirmed:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)d entry of volunteer hours waits for confirmation.",
                    "%(count)d entries of volunteer hours wait for confirmation.",
                    unconfirmed,
                )
                % {"count": unconfirmed},
                "volunteering:hours_list",
            )
        )
    follow_ups = Application.objects.for_centre(centre).filter(stage=Stage.CONTRACT, follow_up_due__lte=today).count()
    if follow_ups:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)d six-month follow-up of a placement is due.",
                    "%(count)d six-month follow-ups of placements are due.",
                    follow_ups,
                )
                % {"count": follow_ups},
                "work:application_list",
            )
        )
    overdue_tasks = FollowUpTask.objects.for_centre(centre).filter(done_on__isnull=True, due_on__lt=today).count()
    if overdue_tasks:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)d task from a network meeting is overdue.",
                    "%(count)d tasks from network meetings are overdue.",
                    overdue_tasks,
                )
                % {"count": overdue_tasks},
                "network:meeting_list",
            )
        )
    items.extend(_optional_module_items(centre=centre, today=today))
    last_month = previous_month(today)
    if not ManualFigure.objects.for_centre(centre).filter(month=last_month).exists():
        items.append(
            AttentionItem(
                _("The figures no module knows are missing for %(month)s.") % {"month": month_label(last_month)},
                "reporting:manual_figure_edit",
            )
        )
    if last_month in figures.months:
        missed = [row for row in target_rows(centre=centre, figures=figures, month=last_month) if row.met is False]
        if missed:
            items.append(
                AttentionItem(
                    _("Targets missed in %(month)s: %(indicators)s.")
                    % {
                        "month": month_label(last_month),
                        "indicators": ", ".join(str(r.indicator.label) for r in missed),
                    },
                    "reporting:target_edit",
                )
            )
    return items


def _optional_module_items(*, centre: Any, today: datetime.date) -> list[AttentionItem]:
    """Overdue proofs of use (as the grants module counts them) and the staffing rule in force."""
    from django.db.models import Q

    from ankommen.grants.models import Grant, GrantStatus, ProofStatus
    from ankommen.staffing.selectors import centre_compliance

    items: list[AttentionItem] = []
    overdue = (
        Grant.objects.for_centre(centre)
        .filter(status=GrantStatus.APPROVED, proof_due_on__lt=today)
        .filter(Q(proof__isnull=True) | Q(proof__status=ProofStatus.QUESTIONS))
        .count()
    )
    if overdue:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)d proof of use of a grant is overdue.",
                    "%(count)d proofs of use of grants are overdue.",
                    overdue,
                )
                % {"count": overdue},
                "grants:grant_list",
            )
        )
    compliance, _limit = centre_compliance(centre=centre, on=today)
    if not compliance.complies:
        text = " ".join(str(message) for message in compliance.messages) or _("The staff posts break the funding rule.")
        items.append(AttentionItem(text, "staffing:post_list"))
    return items


# Comparison with the other centres -------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    indicator: Indicator
    own_value: float | int | None
    own_per_10000: float | None
    others_median_per_10000: float | None
    others_published: int
    others_hidden: int


def comparison_rows(*, centre: Any, month: datetime.date) -> list[ComparisonRow]:
    """The own centre against the others' published figures (small counts of others hidden, no totals)."""
    state = state_indicators(month=month, with_totals=False)
    rows = []
    for indicator in state.indicators:
        if not indicator.per_inhabitants:
            continue
        own = state.own_figure(centre.pk, month, indicator.key)
        others = [state.figure(info.id, month, indicator.key) for info in state.centres if info.id != centre.pk]
        rates = [figure.per_10000 for figure in others if figure.per_10000 is not None]
        rows.append(
            ComparisonRow(
                indicator=indicator,
                own_value=own.value,
                own_per_10000=own.per_10000,
                others_median_per_10000=round(statistics.median(rates), 2) if rates else None,
                others_published=len(rates),
                others_hidden=sum(1 for figure in others if figure.is_suppressed),
            )
        )
    return rows


# Months ------------------------------------------------------------------------------------------------------


def month_label(month: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "F Y")


def parse_month(text: str | None, *, default: datetime.date, earliest: datetime.date | None = None) -> datetime.date:
    """`YYYY-MM` from a query string; the default for anything else, and never a month in the future."""
    if not text:
        return default
    try:
        month = datetime.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 (a calendar month, no time)
    except ValueError:
        return default
    latest = timezone.localdate().replace(day=1)
    if month > latest or (earliest is not None and month < earliest):
        return default
    return month
