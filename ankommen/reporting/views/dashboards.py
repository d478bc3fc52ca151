"""The dashboards: the centre's own (`centre_dashboard`) and the state's (`state_dashboard`), their downloads,
the manual figures of a month, the centre's targets and the state's traffic-light thresholds."""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.core.exports import csv_response, xlsx_response
from ankommen.reporting import dashboard_selectors as selectors
from ankommen.reporting import dashboard_services as services
from ankommen.reporting import dashboard_tables as tables
from ankommen.reporting.charts import Series, line_chart
from ankommen.reporting.forms import ManualFigureForm, TargetForm, ThresholdForm
from ankommen.reporting.indicators import (
    INDICATOR_BY_KEY,
    MANUAL_KEYS,
    AggregateRows,
    CentreIndicators,
    CentreInfo,
    StateIndicators,
    aggregate_rows,
    centre_indicators,
    centre_infos,
    last_months,
    previous_month,
    state_indicators,
    suppression_threshold,
)
from ankommen.reporting.models import ManualFigure, Measure
from ankommen.reporting.nrw_map import MapPoint, centre_map, municipality_coordinates

centre_roles = role_required(Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER)
manual_entry_roles = role_required(Role.CENTRE_LEAD, Role.CENTRE_STAFF)
centre_lead_only = role_required(Role.CENTRE_LEAD)
state_roles = role_required(Role.STATE_ANALYST, Role.RESEARCHER)
state_analyst_only = role_required(Role.STATE_ANALYST)

MONTHS_SHOWN = 12
# The trend charts: a few indicators each, so that every line stays readable.
CENTRE_CHARTS = [
    (("children_registered", "children_placed", "children_waiting"), gettext_lazy("School placement")),
    (("volunteers_active", "requests_matched"), gettext_lazy("Volunteering")),
    (("placements", "candidates", "course_participants"), gettext_lazy("Work, training and courses")),
]
STATE_CHARTS = [
    (("children_registered", "children_placed"), gettext_lazy("School placement in North Rhine-Westphalia")),
    (("volunteers_active", "requests_matched"), gettext_lazy("Volunteering in North Rhine-Westphalia")),
    (
        ("placements", "course_participants"),
        gettext_lazy("Work, training and courses in North Rhine-Westphalia"),
    ),
]


def _centre(request: HttpRequest) -> Any:
    return request.centre  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _backdrop() -> tuple[tuple[float, float], ...]:
    # The land's shape from the reference data, which changes only when it is loaded again.
    return tuple(municipality_coordinates())


@lru_cache(maxsize=64)
def _cached_map(points: tuple[MapPoint, ...], title: str, value_heading: str, language: str) -> Any:
    return centre_map(list(points), title=title, backdrop=_backdrop(), value_heading=value_heading)


def _centre_map(points: list[MapPoint], *, title: str, value_heading: str) -> Any:
    """The map drawn once per set of points, statuses and language: drawing it costs more than the rest of the page."""
    return _cached_map(tuple(points), str(title), str(value_heading), get_language())


# The centre's own ------------------------------------------------------------------------------------------


def _centre_data(request: HttpRequest) -> tuple[CentreIndicators, datetime.date]:
    today = timezone.localdate()
    months = last_months(MONTHS_SHOWN, today=today)
    # Targets and the comparison look at the last complete month unless another one is asked for.
    month = selectors.parse_month(request.GET.get("month"), default=previous_month(today), earliest=months[0])
    return centre_indicators(centre=_centre(request), months=months, today=today), month


@centre_roles
@require_GET
def centre_dashboard(request: HttpRequest) -> HttpResponse:
    centre = _centre(request)
    figures, month = _centre_data(request)
    labels = [tables.short_month(m) for m in figures.months]
    charts = [
        line_chart(
            title=str(title),
            x_labels=labels,
            series=[Series(str(INDICATOR_BY_KEY[key].label), figures.series(key)) for key in keys],
            x_heading=_("Month"),
        )
        for keys, title in CENTRE_CHARTS
    ]
    trend = tables.centre_trend_table(figures, centre_name=centre.name)
    targets = selectors.target_rows(centre=centre, figures=figures, month=month)
    context = {
        "centre": centre,
        "month": month,
        "month_label": date_format(month, "F Y"),
        "month_choices": [(m.strftime("%Y-%m"), date_format(m, "F Y")) for m in reversed(figures.months)],
        "computed_at": timezone.localtime(),
        "charts": charts,
        "figures": figures,
        "trend": trend,
        "trend_rows": [
            (
                indicator.label,
                tables.unit_text(indicator),
                [tables.number_text(v) for v in figures.series(indicator.key)],
            )
            for indicator in figures.indicators
        ],
        "targets": targets,
        "attention": selectors.attention_items(centre=centre, figures=figures),
        "comparison": selectors.comparison_rows(centre=centre, month=month),
        "is_lead": request.membership.role == Role.CENTRE_LEAD,  # type: ignore[attr-defined]
        "can_enter": request.membership.role in {Role.CENTRE_LEAD, Role.CENTRE_STAFF},  # type: ignore[attr-defined]
        "suppressed_mark": tables.SUPPRESSED_MARK,
    }
    return render(request, "reporting/dashboard/centre.html", context)


def _centre_tables(request: HttpRequest) -> list[Any]:
    centre = _centre(request)
    figures, month = _centre_data(request)
    return [
        tables.centre_trend_table(figures, centre_name=centre.name),
        tables.target_table(selectors.target_rows(centre=centre, figures=figures, month=month), month=month),
        tables.comparison_table(selectors.comparison_rows(centre=centre, month=month), month=month),
    ]


@centre_roles
@require_GET
def centre_dashboard_csv(request: HttpRequest) -> HttpResponse:
    return csv_response(_centre_tables(request)[0], filename=f"kennzahlen-{_centre(request).slug}")


@centre_roles
@require_GET
def centre_dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    return xlsx_response(_centre_tables(request), filename=f"kennzahlen-{_centre(request).slug}")


@manual_entry_roles
@require_http_methods(["GET", "POST"])
def manual_figure_edit(request: HttpRequest) -> HttpResponse:
    centre = _centre(request)
    today = timezone.localdate()
    month = selectors.parse_month(request.GET.get("month"), default=previous_month(today))
    existing = ManualFigure.objects.for_centre(centre).filter(month=month).first()
    initial: dict[str, Any] = {"month": month}
    if existing is not None:
        initial.update({key: getattr(existing, key) for key in MANUAL_KEYS})
    form = ManualFigureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.manual_figure_save(
                centre=centre,
                by=request.user,
                month=form.cleaned_data["month"],
                **{key: form.cleaned_data[key] for key in MANUAL_KEYS},
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("The figures of %(month)s have been saved.") % {"month": date_format(saved.month, "F Y")}
            )
            return redirect("reporting:manual_figure_edit")
    context = {
        "form": form,
        "entries": list(ManualFigure.objects.for_centre(centre).select_related("recorded_by")[:24]),
        "history": services.manual_figure_history(centre=centre),
        "manual_indicators": [INDICATOR_BY_KEY[key] for key in MANUAL_KEYS],
    }
    return render(request, "reporting/dashboard/manual_figures.html", context, status=400 if form.errors else 200)


@centre_lead_only
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest) -> HttpResponse:
    centre = _centre(request)
    indicators = [indicator for indicator in INDICATOR_BY_KEY.values() if indicator.higher_is_better is not None]
    current = selectors.targets_of(centre=centre)
    form = TargetForm(
        request.POST or None,
        indicators=indicators,
        initial={key: target.value for key, target in current.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            for indicator in indicators:
                services.target_set(
                    centre=centre, by=request.user, indicator=indicator.key, value=form.cleaned_data[indicator.key]
                )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The targets have been saved."))
            return redirect("reporting:centre_dashboard")
    return render(request, "reporting/dashboard/targets.html", {"form": form}, status=400 if form.errors else 200)


# The state's -----------------------------------------------------------------------------------------------


def _state_data(request: HttpRequest) -> tuple[StateIndicators, datetime.date, dict[int, Any], list[Any]]:
    today = timezone.localdate()
    months = last_months(MONTHS_SHOWN, today=today)
    month = selectors.parse_month(request.GET.get("month"), default=previous_month(today), earliest=months[0])
    state = state_indicators(months=months, today=today)
    rules = selectors.thresholds()
    return state, month, selectors.centre_statuses(state, month, rules), rules


# The state dashboard below its introduction is a pure function of what the grouped SQL returned, the centres,
# the thresholds, the month, the measure, the language and whether an analyst reads it. Turning 54 x 26 x 12
# figures into the suppressed table, the traffic lights, the map and the charts costs several times the SQL, so
# the rendered body is remembered per process by exactly those inputs (the SQL rows themselves, compared in full
# on a hit): the same figures give the same page from memory, any changed figure is another key, nothing stale
# can be shown. A handful of bodies per process (months x measures x languages in use) is a few MB.
_STATE_BODIES: OrderedDict[tuple[Any, ...], SafeString] = OrderedDict()
_STATE_BODIES_KEPT = 16
_state_bodies_lock = threading.Lock()


def _state_body(
    *,
    rows: AggregateRows,
    centres: list[CentreInfo],
    rules: list[Any],
    months: list[datetime.date],
    month: datetime.date,
    rate: bool,
    is_analyst: bool,
) -> SafeString:
    rule_values = tuple((r.indicator, r.measure, r.on_track_from, r.attention_below) for r in rules)
    threshold = suppression_threshold()
    key = (rows, tuple(centres), rule_values, tuple(months), month, rate, is_analyst, get_language(), threshold)
    with _state_bodies_lock:
        body = _STATE_BODIES.get(key)
        if body is not None:
            _STATE_BODIES.move_to_end(key)
            return body
    state = state_indicators(months=months, rows=rows, centres=centres, threshold=threshold)
    body = render_to_string(
        "reporting/dashboard/_state_body.html",
        _state_body_context(state, month, selectors.centre_statuses(state, month, rules), rules, rate, is_analyst),
    )
    with _state_bodies_lock:
        _STATE_BODIES[key] = body
        while len(_STATE_BODIES) > _STATE_BODIES_KEPT:
            _STATE_BODIES.popitem(last=False)
    return body


def clear_state_bodies() -> None:
    with _state_bodies_lock:
        _STATE_BODIES.clear()


def _state_body_context(
    state: StateIndicators,
    month: datetime.date,
    statuses: dict[int, Any],
    rules: list[Any],
    rate: bool,
    is_analyst: bool,
) -> dict[str, Any]:
    labels = [tables.short_month(m) for m in state.months]
    charts = []
    for keys, title in STATE_CHARTS:
        series = []
        for key in keys:
            trend = state.trend(key)
            series.append(
                Series(
                    str(INDICATOR_BY_KEY[key].label),
                    [figure.value if figure is not None else None for figure in trend],
                    display=[tables.figure_text(figure) for figure in trend],
                )
            )
        charts.append(line_chart(title=str(title), x_labels=labels, series=series, x_heading=_("Month")))
    rows = tables.state_page_rows(state, month, statuses, rate=rate)
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
    status_counts = dict.fromkeys(selectors.STATUS_SYMBOLS, 0)
    for shown in statuses.values():
        status_counts[shown.status] += 1
    return {
        "month_label": date_format(month, "F Y"),
        "rate": rate,
        "indicators": state.indicators,
        "rows": rows,
        "rows_html": tables.state_rows_html(rows),
        "totals": tables.state_total_cells(state, month, rate=rate),
        "inhabitants": tables.number_text(state.inhabitants),
        "charts": charts,
        "map": _centre_map(
            points,
            title=_("Centres by status, %(month)s") % {"month": date_format(month, "F Y")},
            value_heading=_("Reasons"),
        ),
        "status_summary": [(selectors.StatusShown(status, []), count) for status, count in status_counts.items()],
        "threshold_texts": [selectors.threshold_text(rule) for rule in rules],
        "suppressed_mark": tables.SUPPRESSED_MARK,
        "is_analyst": is_analyst,
        "query": f"month={month:%Y-%m}",
    }


@state_roles
@require_GET
def state_dashboard(request: HttpRequest) -> HttpResponse:
    computed_at = timezone.now()
    today = timezone.localdate()
    months = last_months(MONTHS_SHOWN, today=today)
    month = selectors.parse_month(request.GET.get("month"), default=previous_month(today), earliest=months[0])
    rate = request.GET.get("measure", "rate") != "count"
    body = _state_body(
        rows=aggregate_rows(months=months, today=today),
        centres=centre_infos(),
        rules=selectors.thresholds(),
        months=months,
        month=month,
        rate=rate,
        is_analyst=request.membership.role == Role.STATE_ANALYST,  # type: ignore[attr-defined]
    )
    context = {
        "body": body,
        "month": month,
        "month_choices": [(m.strftime("%Y-%m"), date_format(m, "F Y")) for m in reversed(months)],
        "rate": rate,
        "computed_at": timezone.localtime(computed_at),
        "suppressed_mark": tables.SUPPRESSED_MARK,
    }
    return render(request, "reporting/dashboard/state.html", context)


@state_roles
@require_GET
def state_dashboard_csv(request: HttpRequest) -> HttpResponse:
    state, month, statuses, _rules = _state_data(request)
    return csv_response(tables.state_table(state, month, statuses), filename=f"kennzahlen-nrw-{month:%Y-%m}")


@state_roles
@require_GET
def state_dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    state, month, statuses, _rules = _state_data(request)
    return xlsx_response(
        [tables.state_table(state, month, statuses), tables.state_trend_table(state)],
        filename=f"kennzahlen-nrw-{month:%Y-%m}",
    )


@state_analyst_only
@require_http_methods(["GET", "POST"])
def threshold_edit(request: HttpRequest) -> HttpResponse:
    choices = selectors.indicator_choices()
    form = ThresholdForm(request.POST or None, choices=choices, initial={"measure": Measure.PER_10000})
    if request.method == "POST" and form.is_valid():
        try:
            services.threshold_set(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The traffic light has been saved."))
            return redirect("reporting:threshold_edit")
    context = {"form": form, "threshold_texts": [selectors.threshold_text(rule) for rule in selectors.thresholds()]}
    return render(request, "reporting/dashboard/thresholds.html", context, status=400 if form.errors else 200)
