"""The dashboards' tables, built once for the page and for the CSV/XLSX downloads (`ankommen.core.exports.Table`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ankommen.core.exports import Table
from ankommen.reporting.dashboard_selectors import ComparisonRow, StatusShown, TargetRow
from ankommen.reporting.indicators import (
    SUPPRESSED_MARK,
    CentreIndicators,
    Figure,
    Indicator,
    StateIndicators,
    Unit,
)

NO_VALUE = "–"


def short_month(month: datetime.date) -> str:
    return date_format(month, "M Y")


def number_text(value: float | int | None, *, decimals: int = 1) -> str:
    if value is None:
        return NO_VALUE
    return _formatted(value, decimals, get_language())


@lru_cache(maxsize=8192)
def _formatted(value: float | int, decimals: int, language: str | None) -> str:
    # Locale-aware formatting is the slow part of a 54-row table, and the same numbers (0 above all) repeat.
    if isinstance(value, int) or float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def state_rows_html(rows: list[StateTableRow]) -> SafeString:
    """The body of the state's table, built in one pass: the template's nested loops cost more than the figures."""
    return format_html_join(
        "",
        '<tr class="kern-table__row"><th scope="row" class="kern-table__header">{}</th>'
        '<td class="kern-table__cell"><span class="reporting-status reporting-status--{}">'
        '<span class="reporting-status__symbol" aria-hidden="true">{}</span> {}</span></td>'
        '<td class="kern-table__cell kern-table__cell--numeric">{}</td>{}</tr>',
        (
            (
                row.name,
                row.status.css,
                row.status.symbol,
                row.status.label,
                row.inhabitants,
                format_html_join(
                    "",
                    '<td class="kern-table__cell kern-table__cell--numeric">{}</td>',
                    ((cell,) for cell in row.cells),
                ),
            )
            for row in rows
        ),
    )


def figure_text(figure: Figure | None, *, rate: bool = False) -> str:
    if figure is None:
        return NO_VALUE
    if figure.is_suppressed:
        return SUPPRESSED_MARK
    if rate:
        return number_text(figure.per_10000, decimals=2) if figure.per_10000 is not None else NO_VALUE
    return number_text(figure.value)


def figure_export(figure: Figure | None, *, rate: bool = False) -> object:
    """What a download holds: the number, "×" for a hidden one, nothing for an unknown one."""
    if figure is None:
        return None
    if figure.is_suppressed:
        return SUPPRESSED_MARK
    return figure.per_10000 if rate else figure.value


def unit_text(indicator: Indicator) -> str:
    return {
        Unit.COUNT: _("number"),
        Unit.DAYS: _("days"),
        Unit.HOURS: _("hours"),
        Unit.FTE: _("full-time equivalents"),
        Unit.EURO: _("euro"),
    }[indicator.unit]


# The centre's own ------------------------------------------------------------------------------------------


def centre_trend_table(figures: CentreIndicators, *, centre_name: str) -> Table:
    return Table(
        title=_("Indicators of %(centre)s per month") % {"centre": centre_name},
        columns=[_("Indicator"), _("Unit"), *(short_month(month) for month in figures.months)],
        rows=[
            [str(indicator.label), unit_text(indicator), *figures.series(indicator.key)]
            for indicator in figures.indicators
        ],
    )


def target_table(rows: list[TargetRow], *, month: datetime.date) -> Table:
    return Table(
        title=_("Targets in %(month)s") % {"month": date_format(month, "F Y")},
        columns=[_("Indicator"), _("Monthly target"), _("Reached"), _("Status")],
        rows=[[str(row.indicator.label), row.target, row.value, row.status.label] for row in rows],
    )


def comparison_table(rows: list[ComparisonRow], *, month: datetime.date) -> Table:
    return Table(
        title=_("Comparison with the other centres in %(month)s, per 10,000 inhabitants")
        % {"month": date_format(month, "F Y")},
        columns=[
            _("Indicator"),
            _("Own centre"),
            _("Own centre per 10,000"),
            _("Median of the other centres per 10,000"),
            _("Other centres shown"),
            _("Other centres hidden"),
        ],
        rows=[
            [
                str(row.indicator.label),
                row.own_value,
                row.own_per_10000,
                row.others_median_per_10000,
                row.others_published,
                row.others_hidden,
            ]
            for row in rows
        ],
    )


# The state's ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateTableRow:
    name: str
    district: str
    inhabitants: str
    status: StatusShown
    cells: list[str]


def state_page_rows(
    state: StateIndicators, month: datetime.date, statuses: dict[int, StatusShown], *, rate: bool
) -> list[StateTableRow]:
    """The rows as the page shows them: one measure per indicator (count, or per 10,000 where it makes sense)."""
    table = state.table(month)
    rows = []
    for row in table:
        cells = [
            figure_text(row.figures[indicator.key], rate=rate and indicator.per_inhabitants)
            for indicator in state.indicators
        ]
        rows.append(
            StateTableRow(
                name=row.centre.name,
                district=row.centre.district,
                inhabitants=number_text(row.centre.inhabitants),
                status=statuses[row.centre.id],
                cells=cells,
            )
        )
    return rows


def state_total_cells(state: StateIndicators, month: datetime.date, *, rate: bool) -> list[str]:
    return [
        figure_text(state.total(month, indicator.key), rate=rate and indicator.per_inhabitants)
        for indicator in state.indicators
    ]


def state_table(state: StateIndicators, month: datetime.date, statuses: dict[int, StatusShown]) -> Table:
    """Every centre with each indicator as a count and, where it makes sense, per 10,000 inhabitants."""
    columns: list[str] = [_("Centre"), _("District"), _("Inhabitants served"), _("Status")]
    for indicator in state.indicators:
        columns.append(str(indicator.label))
        if indicator.per_inhabitants:
            columns.append(_("%(indicator)s per 10,000") % {"indicator": indicator.label})
    rows: list[list[Any]] = []
    for row in state.table(month):
        line: list[Any] = [row.centre.name, row.centre.district, row.centre.inhabitants, statuses[row.centre.id].label]
        for indicator in state.indicators:
            figure = row.figures[indicator.key]
            line.append(figure_export(figure))
            if indicator.per_inhabitants:
                line.append(figure_export(figure, rate=True))
        rows.append(line)
    total: list[Any] = [_("North Rhine-Westphalia"), "", state.inhabitants, ""]
    for indicator in state.indicators:
        total_figure = state.total(month, indicator.key)
        total.append(figure_export(total_figure))
        if indicator.per_inhabitants:
            total.append(figure_export(total_figure, rate=True))
    rows.append(total)
    return Table(
        title=_("Indicators of all centres in %(month)s") % {"month": date_format(month, "F Y")},
        columns=columns,
        rows=rows,
    )


def state_trend_table(state: StateIndicators) -> Table:
    return Table(
        title=_("North Rhine-Westphalia per month"),
        columns=[_("Indicator"), *(short_month(month) for month in state.months)],
        rows=[
            [str(indicator.label), *(figure_export(figure) for figure in state.trend(indicator.key))]
            for indicator in state.indicators
        ],
    )
