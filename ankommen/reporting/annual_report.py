"""The annual report of a centre and of the state: sections of charts and tables, as a page, PDF, CSV and XLSX.

Everything comes from `ankommen.reporting.indicators`. A centre's report shows its own figures as they are (its
staff know their cases). The state's report shows only what `state_indicators` publishes: small counts and the
cells protecting them are suppressed ("x"), and every figure the report derives (a year's sum, a rate) is
computed only from published figures, so it cannot give a hidden one back: where a month is hidden, the year's
figure of that line is hidden too. Neither report names a person.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ankommen.core.exports import Table
from ankommen.core.pdf import render_pdf
from ankommen.reporting import indicators as ind
from ankommen.reporting.charts import Chart, Series, bar_chart, line_chart
from ankommen.reporting.dashboard_selectors import centre_statuses, thresholds
from ankommen.reporting.nrw_map import MapPoint, centre_map

STYLESHEET = Path(__file__).parent / "static" / "reporting" / "annual_report_print.css"
FIRST_YEAR = 2012  # the state's participation and integration law; no centre has figures before
SUPPRESSED = ind.SUPPRESSED_MARK
UNKNOWN = "–"


class YearFigure(Enum):
    """How twelve monthly figures make the year's: a sum (flows), the last month (stocks) or an average."""

    SUM = "sum"
    END = "end"
    MEAN = "mean"


# Stocks at the end of a month; counts of distinct persons or courses per month, which a sum would repeat.
_END_OF_YEAR = {"children_waiting", "candidates", "organisations", "cooperations"}
_MONTHLY_AVERAGE = {"volunteers_active", "courses", "course_participants", "median_days_to_school", "schools_advised"}


def year_figure_kind(indicator: ind.Indicator) -> YearFigure:
    if indicator.key in _END_OF_YEAR or indicator.unit is ind.Unit.FTE:
        return YearFigure.END
    if indicator.key in _MONTHLY_AVERAGE or indicator.unit is ind.Unit.DAYS:
        return YearFigure.MEAN
    return YearFigure.SUM


def year_figure_label(kind: YearFigure) -> str:
    return {
        YearFigure.SUM: _("sum of the months"),
        YearFigure.END: _("at the end of the period"),
        YearFigure.MEAN: _("average per month"),
    }[kind]


@dataclass(frozen=True)
class Section:
    heading: str
    charts: list[Chart]
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class AnnualReport:
    title: str
    subject: str  # the centre's name, or "North Rhine-Westphalia"
    year: int
    months: list[datetime.date]
    overview: Table
    sections: list[Section]
    generated_at: datetime.datetime
    notes: list[str]

    @property
    def tables(self) -> list[Table]:
        """Every table of the report, in order: what the CSV and XLSX exports offer."""
        result = [self.overview]
        for section in self.sections:
            result.extend(chart.table for chart in section.charts)
            result.extend(section.tables)
        return result


def report_months(year: int, *, today: datetime.date | None = None) -> list[datetime.date]:
    """The months of `year` up to the current one (a report of the running year stops at this month)."""
    today = today or timezone.localdate()
    last = 12 if year < today.year else today.month
    return [datetime.date(year, month, 1) for month in range(1, last + 1)]


def available_years(*, today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year, max(FIRST_YEAR, today.year - 9) - 1, -1))


def month_label(month: datetime.date) -> str:
    return formats.date_format(month, "M Y")


def _year_value(kind: YearFigure, values: Sequence[float | int | None]) -> float | int | None:
    known = [value for value in values if value is not None]
    if not known:
        return None
    if kind is YearFigure.SUM:
        return sum(known)
    if kind is YearFigure.END:
        return values[-1]
    return round(sum(known) / len(known), 1)


def _sections_by_source(indicators: Sequence[ind.Indicator]) -> list[tuple[ind.Source, list[ind.Indicator]]]:
    grouped: dict[ind.Source, list[ind.Indicator]] = {}
    for indicator in indicators:
        grouped.setdefault(indicator.source, []).append(indicator)
    return list(grouped.items())


def _unit_groups(indicators: list[ind.Indicator]) -> list[list[ind.Indicator]]:
    """One chart per unit: days and counts on one axis would mislead."""
    groups: dict[ind.Unit, list[ind.Indicator]] = {}
    for indicator in indicators:
        groups.setdefault(indicator.unit, []).append(indicator)
    return list(groups.values())


def _chart_title(source: ind.Source, group: list[ind.Indicator], year: int) -> str:
    if len(group) == 1:
        return f"{str(group[0].label).capitalize()} {year}"
    return f"{str(ind.SOURCE_LABELS[source]).capitalize()} {year}"


# --- a centre ----------------------------------------------------------------------------------------------------


def centre_annual_report(*, centre: Any, year: int, today: datetime.date | None = None) -> AnnualReport:
    months = report_months(year, today=today)
    figures = ind.centre_indicators(centre=centre, months=months, today=today)
    labels = [month_label(month) for month in months]
    overview_rows: list[list[object]] = []
    sections = []
    for source, members in _sections_by_source(figures.indicators):
        charts = []
        for group in _unit_groups(members):
            series = [Series(str(indicator.label), list(figures.series(indicator.key))) for indicator in group]
            charts.append(
                line_chart(
                    title=_chart_title(source, group, year),
                    x_labels=labels,
                    series=series,
                    y_label=_unit_label(group[0].unit),
                    x_heading=_("Month"),
                )
            )
        sections.append(Section(heading=str(ind.SOURCE_LABELS[source]).capitalize(), charts=charts))
        for indicator in members:
            kind = year_figure_kind(indicator)
            overview_rows.append(
                [
                    str(indicator.label),
                    str(ind.SOURCE_LABELS[source]),
                    _year_value(kind, figures.series(indicator.key)),
                    year_figure_label(kind),
                ]
            )
    title = _("Annual report %(year)s") % {"year": year}
    return AnnualReport(
        title=title,
        subject=centre.name,
        year=year,
        months=months,
        overview=Table(
            title=_("Overview %(year)s") % {"year": year},
            columns=[_("Indicator"), _("Area"), _("Figure of the period"), _("How the year's figure is made")],
            rows=overview_rows,
        ),
        sections=sections,
        generated_at=timezone.now(),
        notes=_notes(months, year, threshold=None),
    )


# --- the state ---------------------------------------------------------------------------------------------------


def _figure_cell(figure: ind.Figure | None) -> object:
    if figure is None or figure.value is None:
        return SUPPRESSED if figure is not None and figure.is_suppressed else None
    return figure.value


def _published_year_value(kind: YearFigure, figures: Sequence[ind.Figure | None]) -> object:
    """The year's figure from published figures only: a hidden month hides the year's figure too."""
    if any(figure is not None and figure.is_suppressed for figure in figures):
        return SUPPRESSED
    return _year_value(kind, [figure.value if figure is not None else None for figure in figures])


def state_annual_report(*, year: int, today: datetime.date | None = None) -> AnnualReport:
    months = report_months(year, today=today)
    state = ind.state_indicators(months=months, today=today)
    labels = [month_label(month) for month in months]
    overview_rows: list[list[object]] = []
    sections = []
    for source, members in _sections_by_source(state.indicators):
        charts = []
        for group in _unit_groups(members):
            series = []
            for indicator in group:
                trend = state.trend(indicator.key)
                series.append(
                    Series(
                        str(indicator.label),
                        [figure.value if figure is not None else None for figure in trend],
                        display=[SUPPRESSED if figure is not None and figure.is_suppressed else "" for figure in trend],
                    )
                )
            charts.append(
                line_chart(
                    title=_chart_title(source, group, year) + " – " + _("all centres"),
                    x_labels=labels,
                    series=series,
                    y_label=_unit_label(group[0].unit),
                    x_heading=_("Month"),
                )
            )
        sections.append(Section(heading=str(ind.SOURCE_LABELS[source]).capitalize(), charts=charts))
        for indicator in members:
            kind = year_figure_kind(indicator)
            overview_rows.append(
                [
                    str(indicator.label),
                    str(ind.SOURCE_LABELS[source]),
                    _published_year_value(kind, state.trend(indicator.key)),
                    year_figure_label(kind),
                ]
            )
    sections.append(_centres_section(state, year))
    sections.append(_map_section(state))
    return AnnualReport(
        title=_("Annual report %(year)s") % {"year": year},
        subject=_("North Rhine-Westphalia: all integration centres"),
        year=year,
        months=months,
        overview=Table(
            title=_("Overview %(year)s") % {"year": year},
            columns=[_("Indicator"), _("Area"), _("Figure of the period"), _("How the year's figure is made")],
            rows=overview_rows,
        ),
        sections=sections,
        generated_at=timezone.now(),
        notes=_notes(months, year, threshold=state.threshold),
    )


# The per-centre comparison of the state report: counts of persons with a rate per 10,000 inhabitants.
STATE_COMPARISON_KEYS = ("children_registered", "children_placed", "volunteers_active", "placements")


def _centres_section(state: ind.StateIndicators, year: int) -> Section:
    keys = [key for key in STATE_COMPARISON_KEYS if key in ind.INDICATOR_BY_KEY]
    columns = [_("Centre"), _("District"), _("Inhabitants")]
    for key in keys:
        label = str(ind.INDICATOR_BY_KEY[key].label)
        columns += [label, _("%(indicator)s per 10,000 inhabitants") % {"indicator": label}]
    rows: list[list[object]] = []
    rates: list[float | None] = []
    rate_texts: list[str] = []
    for centre in state.centres:
        row: list[object] = [centre.name, centre.district, centre.inhabitants]
        for position, key in enumerate(keys):
            kind = year_figure_kind(ind.INDICATOR_BY_KEY[key])
            value = _published_year_value(kind, [state.figure(centre.id, month, key) for month in state.months])
            rate = (
                round(float(value) * 10_000 / centre.inhabitants, 1)
                if isinstance(value, int | float) and centre.inhabitants > 0
                else (SUPPRESSED if value == SUPPRESSED else None)
            )
            row += [value, rate]
            if position == 0:
                rates.append(rate if isinstance(rate, float) else None)
                rate_texts.append(SUPPRESSED if rate == SUPPRESSED else "")
        rows.append(row)
    charts = []
    if keys:
        first = str(ind.INDICATOR_BY_KEY[keys[0]].label)
        charts.append(
            bar_chart(
                title=_("%(indicator)s per 10,000 inhabitants, %(year)s") % {"indicator": first, "year": year},
                categories=[centre.name for centre in state.centres],
                series=[Series(_("per 10,000 inhabitants"), rates, display=rate_texts)],
                category_heading=_("Centre"),
            )
        )
    table = Table(title=_("The centres in %(year)s") % {"year": year}, columns=columns, rows=rows)
    return Section(heading=_("Centres compared"), charts=charts, tables=[table])


def _map_section(state: ind.StateIndicators) -> Section:
    """The centres on the map with the dashboard's traffic lights for the report's last month."""
    month = state.months[-1]
    statuses = centre_statuses(state, month, thresholds())
    points = [
        MapPoint(
            label=centre.name,
            latitude=centre.latitude,
            longitude=centre.longitude,
            status=statuses[centre.id].status,
            value_text="; ".join(statuses[centre.id].reasons),
        )
        for centre in state.centres
    ]
    title = _("Centres by status, %(month)s") % {"month": month_label(month)}
    return Section(heading=title, charts=[centre_map(points, title=title, value_heading=_("Reasons"))])


# --- shared ------------------------------------------------------------------------------------------------------


def _unit_label(unit: ind.Unit) -> str:
    return {
        ind.Unit.COUNT: _("number"),
        ind.Unit.DAYS: _("days"),
        ind.Unit.HOURS: _("hours"),
        ind.Unit.FTE: _("full-time equivalents"),
        ind.Unit.EURO: _("euro"),
    }[unit]


def _notes(months: list[datetime.date], year: int, *, threshold: int | None) -> list[str]:
    notes = []
    if len(months) < 12:
        notes.append(
            _("The year %(year)s is still running: the report covers January to %(month)s.")
            % {"year": year, "month": month_label(months[-1])}
        )
    if threshold is not None:
        notes.append(
            _(
                "Counts of persons below %(threshold)s are hidden (x), and further figures where the hidden ones "
                "could be recomputed from totals. A year's figure built from a hidden month is hidden as well."
            )
            % {"threshold": threshold}
        )
    notes.append(_("The figures are computed from the modules' records; the report names no person."))
    return notes


def report_pdf(report: AnnualReport) -> bytes:
    html = render_to_string("reporting/annual_report_pdf.html", {"report": report})
    return render_pdf(html, stylesheet=STYLESHEET)


def report_filename(report: AnnualReport, *, scope: str) -> str:
    return f"jahresbericht-{scope}-{report.year}"
