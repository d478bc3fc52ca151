"""The indicators API: aggregates only, never a person.

- `GET /definitions`: what each indicator counts (any centre or state role).
- `GET /centre`: the own centre's indicators per month, unsuppressed (centre roles).
- `GET /state`: all centres in one month. State roles get the suppressed table with the state totals; centre
  roles get the other centres suppressed and no totals (so that their own figures cannot uncover another's),
  and their own row as it is.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from ankommen.api.auth import authenticated
from ankommen.api.scoping import require_centre
from ankommen.reporting.indicators import (
    Figure,
    all_indicators,
    centre_indicators,
    last_months,
    month_start,
    previous_month,
    state_indicators,
)

router = Router(auth=authenticated, tags=["indicators"])

MAX_MONTHS = 36


class DefinitionOut(Schema):
    key: str
    label: str
    unit: str
    source: str
    higher_is_better: bool | None
    manual: bool
    suppressed_for_others: bool
    per_10000: bool
    definition: str


class MonthValuesOut(Schema):
    month: datetime.date
    values: dict[str, float | int | None]


class CentreIndicatorsOut(Schema):
    centre: str
    months: list[MonthValuesOut]


class FigureOut(Schema):
    value: float | int | None
    status: str
    per_10000: float | None


class StateRowOut(Schema):
    centre: str
    district: str
    inhabitants: int
    own: bool
    figures: dict[str, FigureOut]


class StateOut(Schema):
    month: datetime.date
    computed_at: datetime.datetime
    suppression: str
    rows: list[StateRowOut]
    totals: dict[str, FigureOut] | None


class MonthRange(Schema):
    start: str | None = None
    end: str | None = None


class MonthQuery(Schema):
    month: str | None = None


def _month(text: str | None, *, default: datetime.date) -> datetime.date:
    if not text:
        return default
    try:
        month = datetime.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 (a calendar month)
    except ValueError:
        raise HttpError(422, "A month is written YYYY-MM.") from None
    if month > month_start(timezone.localdate()):
        raise HttpError(422, "The month lies in the future.")
    return month


def _figure(figure: Figure | None) -> FigureOut:
    if figure is None:
        return FigureOut(value=None, status="unknown", per_10000=None)
    return FigureOut(value=figure.value, status=figure.status.value, per_10000=figure.per_10000)


@router.get("/definitions", response=list[DefinitionOut], summary="What each indicator counts")
def definitions(request: HttpRequest) -> list[DefinitionOut]:
    membership = getattr(request, "membership", None)
    if membership is None or not (membership.is_centre_role or membership.is_state_role):
        raise PermissionDenied
    return [
        DefinitionOut(
            key=indicator.key,
            label=str(indicator.label),
            unit=indicator.unit.value,
            source=indicator.source.value,
            higher_is_better=indicator.higher_is_better,
            manual=indicator.manual,
            suppressed_for_others=indicator.counts_persons or indicator.basis is not None,
            per_10000=indicator.per_inhabitants,
            definition=str(indicator.definition),
        )
        for indicator in all_indicators()
    ]


@router.get("/centre", response=CentreIndicatorsOut, summary="The own centre's indicators per month")
def centre(request: HttpRequest, filters: Query[MonthRange]) -> CentreIndicatorsOut:
    own = require_centre(request)
    today = timezone.localdate()
    end = _month(filters.end, default=month_start(today))
    start = _month(filters.start, default=last_months(12, today=end)[0])
    if start > end:
        raise HttpError(422, "The start lies after the end.")
    months = [end]
    while months[-1] > start and len(months) < MAX_MONTHS:
        months.append(previous_month(months[-1]))
    if months[-1] > start:
        raise HttpError(422, f"At most {MAX_MONTHS} months at a time.")
    figures = centre_indicators(centre=own, months=months, today=today)
    return CentreIndicatorsOut(
        centre=own.name,
        months=[
            MonthValuesOut(month=month, values={key: figures.values[key][index] for key in figures.values})
            for index, month in enumerate(figures.months)
        ],
    )


@router.get("/state", response=StateOut, summary="All centres in one month, small counts suppressed")
def state(request: HttpRequest, filters: Query[MonthQuery]) -> StateOut:
    membership = getattr(request, "membership", None)
    if membership is None or not (membership.is_state_role or membership.is_centre_role):
        raise PermissionDenied
    today = timezone.localdate()
    month = _month(filters.month, default=previous_month(today))
    own_centre = getattr(request, "centre", None) if membership.is_centre_role else None
    figures = state_indicators(month=month, with_totals=own_centre is None, today=today)
    rows = []
    for row in figures.table(month):
        own = own_centre is not None and row.centre.id == own_centre.pk
        if own:
            shown = {key: _figure(figures.own_figure(row.centre.id, month, key)) for key in row.figures}
        else:
            shown = {key: _figure(figure) for key, figure in row.figures.items()}
        rows.append(
            StateRowOut(
                centre=row.centre.name,
                district=row.centre.district,
                inhabitants=row.centre.inhabitants,
                own=own,
                figures=shown,
            )
        )
    totals = (
        {indicator.key: _figure(figures.total(month, indicator.key)) for indicator in figures.indicators}
        if own_centre is None
        else None
    )
    return StateOut(
        month=month,
        computed_at=figures.computed_at,
        suppression="with totals" if own_centre is None else "others only, without totals",
        rows=rows,
        totals=totals,
    )
