"""Indicators per centre and month, computed from the modules' rows: never typed in twice.

Public interface (used by the dashboards, the indicators API and the annual reports):

- `INDICATORS`: the definitions, in display order. Each `Indicator` has `key`, `label` (lazy gettext), `unit`
  (`Unit`), `source` (the module it comes from), `higher_is_better` (None where neither is), `manual` (typed in
  on the manual-figures form because no module can know it), `counts_persons` (suppressed for small numbers
  when shown outside the centre), `per_inhabitants` (a rate per 10,000 inhabitants makes sense), `basis` (for a
  median or a sum over persons: the count it describes; it is hidden whenever that count is), `definition`.
  `INDICATOR_BY_KEY` maps keys to definitions.
- `last_months(count=12, *, today=None) -> list[date]`: first days of the last `count` months, oldest first,
  ending with the current month.
- `centre_indicators(*, centre, months) -> CentreIndicators`: the own centre, every indicator per month,
  unsuppressed (the centre's staff know their cases). `.value(key, month)`, `.series(key) -> list[value]`,
  `.months`, `.indicators`. A value is an `int`, a `float`, or `None` (not known: no manual entry, no median).
- `state_indicators(*, month=None, months=None, with_totals=True) -> StateIndicators`: all 54 centres, for the
  state. Counts of persons pass small-number suppression (`ankommen/reporting/suppression.py`) per month and
  indicator across the centres, with the state total published with the column (`with_totals`). Without totals
  (what centre users get when they compare themselves with others) only primary suppression is needed: with
  no published sum, nothing can be recomputed, and a centre cannot use its own value to uncover another's.
  `.months`, `.centres` (`CentreInfo`: id, slug, name, district, inhabitants = `Centre.population_served`,
  latitude, longitude), `.figure(centre_id, month, key) -> Figure`, `.total(month, key) -> Figure | None`,
  `.table(month) -> list[StateRow]`, `.trend(key)` (state totals per month), `.computed_at`, and
  `.own_figure(centre_id, month, key)` (unsuppressed: only for that centre's own users). A `Figure` has
  `value` (None when suppressed or unknown), `status` (`FigureStatus`: published, suppressed, unknown; a
  suppressed figure does not say whether it was small or hides another), `per_10000` (None when the value is
  not shown) and `text` for tables ("×" when suppressed, "–" when unknown).
- `aggregate_statements(*, months, today, centre_id=None) -> list[(sql, params)]`: the grouped SQL that both
  functions run, one statement per source, over all centres at once (or one centre). The benchmark times it
  on its own as the baseline.

How each figure is counted (the definitions follow the modules' own figures, so the pages agree):

- schooling: registered = intakes registered in the month; placed = first school day in the month; waiting =
  registered by the month's end (today for the current month), not at school and not closed by then; median
  days to school = median of first school day minus registration over the children placed in the month
  (as `schooling.selectors.median_days_to_school_by_month`).
- volunteering (as `volunteering.selectors.monthly_figures`): active volunteers = volunteers with confirmed
  hours dated in the month; hours = confirmed hours dated in the month; requests matched = matched in the month.
- work (as `work.figures`): candidates = profiles existing by the month's end, not paused or closed, without a
  contract signed before the month; placements = contracts signed in the month (also of applications that
  ended later); still employed after six months = of the follow-ups due in the month, those still employed.
- courses (as `courses.figures` with the month as period): courses with a session in the month; participants
  = registrations of those courses with an attendance.
- network: organisations recorded by the month's end; cooperations running at the month's end
  (as `network.figures`).
- manual (`ManualFigure`): counselling contacts without a case, events held, participants at events, schools
  advised on intercultural school development.

- staff posts (as `staffing.figures.fte_by_source` on the month's last day, today for the current month): FTE by
  funding source, filled or vacant.
- grants (as `grants.figures`): grants approved and their amounts by the month of the decision; payments by the
  day paid; proofs of use overdue at the month's end (approved, due, and not submitted by then or under questions).
Values are computed live on each call (a dozen grouped statements over all centres); nothing is stored. The
suppression of a column is a pure function of its counts and is remembered per process (`_suppressed_column`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cached_property, lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ankommen.core.row_level_security import centre_scope, dangerously_all_centres
from ankommen.reporting.suppression import MINIMUM_THRESHOLD, Cell, Status, suppress_counts

Number = int | float


class Unit(Enum):
    COUNT = "count"
    DAYS = "days"
    HOURS = "hours"
    FTE = "fte"
    EURO = "euro"


class Source(Enum):
    SCHOOLING = "schooling"
    VOLUNTEERING = "volunteering"
    WORK = "work"
    COURSES = "courses"
    NETWORK = "network"
    STAFFING = "staffing"
    GRANTS = "grants"
    MANUAL = "manual"


SOURCE_LABELS: dict[Source, Promise] = {
    Source.SCHOOLING: _("school placement"),
    Source.VOLUNTEERING: _("volunteering (KOMM-AN)"),
    Source.WORK: _("work and training"),
    Source.COURSES: _("courses"),
    Source.NETWORK: _("network"),
    Source.STAFFING: _("staff posts"),
    Source.GRANTS: _("grants"),
    Source.MANUAL: _("manual entry"),
}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    unit: Unit
    source: Source
    higher_is_better: bool | None
    definition: Promise
    manual: bool = False
    counts_persons: bool = True
    per_inhabitants: bool = True
    basis: str | None = None

    @property
    def source_label(self) -> Promise:
        return SOURCE_LABELS[self.source]


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "children_registered",
        _("children registered"),
        Unit.COUNT,
        Source.SCHOOLING,
        None,
        _("School intakes registered in the month."),
    ),
    Indicator(
        "children_placed",
        _("children placed"),
        Unit.COUNT,
        Source.SCHOOLING,
        True,
        _("Children whose first school day was in the month."),
    ),
    Indicator(
        "children_waiting",
        _("children waiting"),
        Unit.COUNT,
        Source.SCHOOLING,
        False,
        _("Children registered by the end of the month who were not at school yet."),
    ),
    Indicator(
        "median_days_to_school",
        _("median days to school"),
        Unit.DAYS,
        Source.SCHOOLING,
        False,
        _("Median days from registration to the first school day of the children placed in the month."),
        counts_persons=False,
        per_inhabitants=False,
        basis="children_placed",
    ),
    Indicator(
        "volunteers_active",
        _("volunteers active"),
        Unit.COUNT,
        Source.VOLUNTEERING,
        True,
        _("Volunteers with confirmed hours in the month."),
    ),
    Indicator(
        "volunteer_hours",
        _("volunteer hours"),
        Unit.HOURS,
        Source.VOLUNTEERING,
        True,
        _("Confirmed hours of volunteering in the month."),
        counts_persons=False,
        basis="volunteers_active",
    ),
    Indicator(
        "requests_matched",
        _("requests matched"),
        Unit.COUNT,
        Source.VOLUNTEERING,
        True,
        _("Support requests matched with a volunteer in the month."),
    ),
    Indicator(
        "candidates",
        _("candidates"),
        Unit.COUNT,
        Source.WORK,
        None,
        _("Candidate profiles looking for work or training at the end of the month."),
    ),
    Indicator(
        "placements",
        _("placements in work or training"),
        Unit.COUNT,
        Source.WORK,
        True,
        _("Contracts signed in the month."),
    ),
    Indicator(
        "still_employed",
        _("still employed after six months"),
        Unit.COUNT,
        Source.WORK,
        True,
        _("Of the six-month follow-ups due in the month, those still employed."),
    ),
    Indicator(
        "courses",
        _("courses"),
        Unit.COUNT,
        Source.COURSES,
        True,
        _("Courses with a session in the month."),
        counts_persons=False,
    ),
    Indicator(
        "course_participants",
        _("course participants"),
        Unit.COUNT,
        Source.COURSES,
        True,
        _("Registrations with an attendance, of the courses with a session in the month."),
    ),
    Indicator(
        "organisations",
        _("organisations in the network"),
        Unit.COUNT,
        Source.NETWORK,
        True,
        _("Organisations recorded by the end of the month."),
        counts_persons=False,
    ),
    Indicator(
        "cooperations",
        _("cooperations"),
        Unit.COUNT,
        Source.NETWORK,
        True,
        _("Cooperations running at the end of the month."),
        counts_persons=False,
    ),
    Indicator(
        "staff_fte_state_integration",
        _("staff FTE from state integration funds"),
        Unit.FTE,
        Source.STAFFING,
        None,
        _("Full-time equivalents of posts paid from the state integration funds at the end of the month."),
        counts_persons=False,
    ),
    Indicator(
        "staff_fte_school_ministry",
        _("staff FTE of school-ministry teacher posts"),
        Unit.FTE,
        Source.STAFFING,
        None,
        _("Full-time equivalents of teacher posts of the school ministry at the end of the month."),
        counts_persons=False,
    ),
    Indicator(
        "staff_fte_district",
        _("staff FTE from the district's budget"),
        Unit.FTE,
        Source.STAFFING,
        None,
        _("Full-time equivalents of posts the district pays itself at the end of the month."),
        counts_persons=False,
    ),
    Indicator(
        "staff_fte_programme",
        _("staff FTE from programmes"),
        Unit.FTE,
        Source.STAFFING,
        None,
        _("Full-time equivalents of posts paid from programmes at the end of the month."),
        counts_persons=False,
    ),
    Indicator(
        "grants_approved",
        _("grants approved"),
        Unit.COUNT,
        Source.GRANTS,
        True,
        _("Grants to local organisations approved in the month."),
        counts_persons=False,
    ),
    Indicator(
        "grant_amount_approved",
        _("amount granted"),
        Unit.EURO,
        Source.GRANTS,
        True,
        _("Approved amounts of the grants approved in the month."),
        counts_persons=False,
    ),
    Indicator(
        "grant_payments",
        _("grant payments"),
        Unit.EURO,
        Source.GRANTS,
        None,
        _("Instalments paid on grants in the month."),
        counts_persons=False,
    ),
    Indicator(
        "proofs_overdue",
        _("proofs of use overdue"),
        Unit.COUNT,
        Source.GRANTS,
        False,
        _("Approved grants whose proof of use was due and not in (or under questions) at the end of the month."),
        counts_persons=False,
        per_inhabitants=False,
    ),
    Indicator(
        "counselling_contacts",
        _("counselling contacts without a case"),
        Unit.COUNT,
        Source.MANUAL,
        True,
        _("Short counselling contacts for which no case was opened (entered by the centre)."),
        manual=True,
    ),
    Indicator(
        "events_held",
        _("events held"),
        Unit.COUNT,
        Source.MANUAL,
        True,
        _("Events the centre held or co-organised (entered by the centre)."),
        manual=True,
        counts_persons=False,
    ),
    Indicator(
        "event_participants",
        _("participants at events"),
        Unit.COUNT,
        Source.MANUAL,
        True,
        _("Participants at those events (entered by the centre)."),
        manual=True,
    ),
    Indicator(
        "schools_advised",
        _("schools advised"),
        Unit.COUNT,
        Source.MANUAL,
        True,
        _("Schools advised on intercultural school development (entered by the centre)."),
        manual=True,
        counts_persons=False,
    ),
)

MANUAL_KEYS: tuple[str, ...] = tuple(indicator.key for indicator in INDICATORS if indicator.manual)


def all_indicators() -> tuple[Indicator, ...]:
    return INDICATORS


INDICATOR_BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}


# Months -----------------------------------------------------------------------------------------------


def suppression_threshold() -> int:
    """k: counts of persons from 1 to k-1 are hidden wherever figures leave the centre (dashboards, reports, the
    evaluation extract alike). The setting ANKOMMEN_SUPPRESSION_K, at least 3."""
    threshold = int(settings.ANKOMMEN_SUPPRESSION_K)
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(f"ANKOMMEN_SUPPRESSION_K must be at least {MINIMUM_THRESHOLD}.")
    return threshold


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return month_start(month_start(day) - datetime.timedelta(days=1))


def last_months(count: int = 12, *, today: datetime.date | None = None) -> list[datetime.date]:
    month = month_start(today or timezone.localdate())
    months = [month]
    for _index in range(count - 1):
        month = previous_month(month)
        months.append(month)
    return sorted(months)


def _normalise_months(months: Iterable[datetime.date]) -> list[datetime.date]:
    normalised = sorted({month_start(month) for month in months})
    if not normalised:
        raise ValueError("At least one month is needed.")
    return normalised


# The grouped statements -------------------------------------------------------------------------------

_MONTHS_CTE = """
    months AS (
        SELECT month::date AS month,
               (month + interval '1 month')::date AS next_month,
               LEAST((month + interval '1 month' - interval '1 day')::date, %(today)s::date) AS as_of
        FROM unnest(%(months)s::date[]) AS month
    )"""


@lru_cache(maxsize=2)
def _statements(centre_filter: bool) -> list[tuple[str, list[str]]]:
    """(SQL, keys it yields) per source; every statement yields centre_id, month, then the keys."""

    def only(alias: str) -> str:
        return f" AND {alias}.centre_id = %(centre_id)s" if centre_filter else ""

    return [
        (
            f"""WITH {_MONTHS_CTE}
            SELECT i.centre_id, m.month,
                count(*) FILTER (WHERE i.registered_on >= m.month AND i.registered_on < m.next_month),
                count(*) FILTER (WHERE i.first_school_day >= m.month AND i.first_school_day < m.next_month),
                count(*) FILTER (
                    WHERE i.registered_on <= m.as_of
                    AND (i.first_school_day > m.as_of OR (i.first_school_day IS NULL AND i.status <> %(started)s))
                    AND (i.closed_on > m.as_of OR (i.closed_on IS NULL AND i.status <> %(withdrawn)s))
                ),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY i.first_school_day - i.registered_on)
                    FILTER (WHERE i.first_school_day >= m.month AND i.first_school_day < m.next_month)
            FROM months m JOIN schooling_intake i ON i.registered_on < m.next_month{only("i")}
            GROUP BY i.centre_id, m.month""",  # noqa: S608 (only constant text is interpolated)
            ["children_registered", "children_placed", "children_waiting", "median_days_to_school"],
        ),
        (
            f"""SELECT h.centre_id, date_trunc('month', h.date)::date,
                count(DISTINCT h.volunteer_id), sum(h.hours)
            FROM volunteering_hoursentry h
            WHERE h.status = %(confirmed)s AND h.date >= %(first)s AND h.date < %(end)s{only("h")}
            GROUP BY 1, 2""",  # noqa: S608 (only constant text is interpolated)
            ["volunteers_active", "volunteer_hours"],
        ),
        (
            f"""SELECT r.centre_id, date_trunc('month', r.matched_at AT TIME ZONE %(tz)s)::date, count(*)
            FROM volunteering_supportrequest r
            WHERE r.matched_at >= %(first_at)s AND r.matched_at < %(end_at)s{only("r")}
            GROUP BY 1, 2""",  # noqa: S608 (only constant text is interpolated)
            ["requests_matched"],
        ),
        (
            f"""WITH {_MONTHS_CTE},
            first_contract AS (
                SELECT a.profile_id, min(a.contract_signed_on) AS signed_on FROM work_application a
                WHERE a.contract_signed_on IS NOT NULL{only("a")} GROUP BY a.profile_id
            )
            SELECT p.centre_id, m.month, count(*)
            FROM months m
            JOIN work_candidateprofile p ON (p.created_at AT TIME ZONE %(tz)s)::date < m.next_month
            LEFT JOIN first_contract f ON f.profile_id = p.id
            WHERE p.status NOT IN (%(paused)s, %(closed)s) AND (f.signed_on IS NULL OR f.signed_on >= m.month)
                {only("p")}
            GROUP BY p.centre_id, m.month""",  # noqa: S608 (only constant text is interpolated)
            ["candidates"],
        ),
        (
            f"""SELECT a.centre_id, date_trunc('month', a.contract_signed_on)::date, count(*)
            FROM work_application a
            WHERE a.contract_signed_on >= %(first)s AND a.contract_signed_on < %(end)s
                AND (a.stage = ANY(%(placed_stages)s) OR a.ended_at_stage = ANY(%(placed_stages)s)){only("a")}
            GROUP BY 1, 2""",  # noqa: S608 (only constant text is interpolated)
            ["placements"],
        ),
        (
            f"""SELECT a.centre_id, date_trunc('month', a.follow_up_due)::date, count(*) FILTER (WHERE a.still_employed)
            FROM work_application a
            WHERE a.stage = %(followed_up)s AND a.follow_up_due >= %(first)s AND a.follow_up_due < %(end)s{only("a")}
            GROUP BY 1, 2""",  # noqa: S608 (only constant text is interpolated)
            ["still_employed"],
        ),
        (
            f"""SELECT s.centre_id, date_trunc('month', s.date)::date, count(DISTINCT s.course_id)
            FROM courses_session s
            WHERE s.date >= %(first)s AND s.date < %(end)s{only("s")}
            GROUP BY 1, 2""",  # noqa: S608 (only constant text is interpolated)
            ["courses"],
        ),
        (
            f"""WITH course_months AS (
                SELECT DISTINCT s.course_id, date_trunc('month', s.date)::date AS month FROM courses_session s
                WHERE s.date >= %(first)s AND s.date < %(end)s{only("s")}
            )
            SELECT r.centre_id, cm.month, count(*)
            FROM course_months cm JOIN courses_registration r ON r.course_id = cm.course_id
            WHERE EXISTS (SELECT 1 FROM courses_attendance a WHERE a.registration_id = r.id AND a.is_present)
                {only("r")}
            GROUP BY r.centre_id, cm.month""",  # noqa: S608 (only constant text is interpolated)
            ["course_participants"],
        ),
        (
            f"""WITH {_MONTHS_CTE}
            SELECT o.centre_id, m.month, count(*)
            FROM months m JOIN network_organisation o ON (o.created_at AT TIME ZONE %(tz)s)::date <= m.as_of
                {only("o")}
            GROUP BY o.centre_id, m.month""",  # noqa: S608 (only constant text is interpolated)
            ["organisations"],
        ),
        (
            f"""WITH {_MONTHS_CTE}
            SELECT c.centre_id, m.month, count(*)
            FROM months m JOIN network_cooperation c
                ON c.since <= m.as_of AND (c.until IS NULL OR c.until >= m.as_of){only("c")}
            GROUP BY c.centre_id, m.month""",  # noqa: S608 (only constant text is interpolated)
            ["cooperations"],
        ),
        (
            f"""WITH {_MONTHS_CTE}
            SELECT p.centre_id, m.month,
                sum(p.fte) FILTER (WHERE p.funding_source = %(state_integration)s),
                sum(p.fte) FILTER (WHERE p.funding_source = %(school_ministry)s),
                sum(p.fte) FILTER (WHERE p.funding_source = %(district)s),
                sum(p.fte) FILTER (WHERE p.funding_source = %(programme)s)
            FROM months m JOIN staffing_staffpost p
                ON p.starts_on <= m.as_of AND (p.ends_on IS NULL OR p.ends_on >= m.as_of){only("p")}
            GROUP BY p.centre_id, m.month""",  # noqa: S608 (only constant text is interpolated)
            ["staff_fte_state_integration", "staff_fte_school_ministry", "staff_fte_district", "staff_fte_programme"],
        ),
        (
            f"""SELECT g.centre_id, date_trunc('month', g.decided_on)::date, count(*), sum(g.approved_amount)
            FROM grants_grant g
            WHERE g.status = %(approved)s AND g.decided_on >= %(first)s AND g.decided_on < %(end)s{only("g")}
            GROUP BY 1, 2""",  # noqa: S608 (only constant text is interpolated)
            ["grants_approved", "grant_amount_approved"],
        ),
        (
            f"""SELECT p.centre_id, date_trunc('month', p.paid_on)::date, sum(p.amount)
            FROM grants_payment p
            WHERE p.paid_on >= %(first)s AND p.paid_on < %(end)s{only("p")}
            GROUP BY 1, 2""",  # noqa: S608 (only constant text is interpolated)
            ["grant_payments"],
        ),
        (
            f"""WITH {_MONTHS_CTE}
            SELECT g.centre_id, m.month, count(*)
            FROM months m JOIN grants_grant g ON g.proof_due_on < m.as_of
            LEFT JOIN grants_proofofuse u ON u.grant_id = g.id
            WHERE g.status = %(approved)s
                AND (u.id IS NULL OR u.submitted_on > m.as_of OR u.status = %(questions)s){only("g")}
            GROUP BY g.centre_id, m.month""",  # noqa: S608 (only constant text is interpolated)
            ["proofs_overdue"],
        ),
        (
            f"""SELECT f.centre_id, f.month, {", ".join(f"f.{key}" for key in MANUAL_KEYS)}
            FROM reporting_manualfigure f
            WHERE f.month = ANY(%(months)s::date[]){only("f")}""",  # noqa: S608 (only constant text is interpolated)
            list(MANUAL_KEYS),
        ),
    ]


def _parameters(months: Sequence[datetime.date], today: datetime.date, centre_id: int | None) -> dict[str, Any]:
    from ankommen.grants.models import GrantStatus, ProofStatus
    from ankommen.schooling.models import IntakeStatus
    from ankommen.staffing.models import FundingSource
    from ankommen.volunteering.models import HoursStatus
    from ankommen.work.models import CandidateStatus, Stage

    first, end = months[0], next_month(months[-1])
    local = timezone.get_default_timezone()
    return {
        "months": list(months),
        "today": today,
        "first": first,
        "end": end,
        "first_at": datetime.datetime.combine(first, datetime.time(), tzinfo=local),
        "end_at": datetime.datetime.combine(end, datetime.time(), tzinfo=local),
        "tz": settings.TIME_ZONE,
        "centre_id": centre_id,
        "started": IntakeStatus.STARTED.value,
        "withdrawn": IntakeStatus.WITHDRAWN.value,
        "confirmed": HoursStatus.CONFIRMED.value,
        "paused": CandidateStatus.PAUSED.value,
        "closed": CandidateStatus.CLOSED.value,
        "placed_stages": [Stage.CONTRACT.value, Stage.FOLLOWED_UP.value],
        "followed_up": Stage.FOLLOWED_UP.value,
        "state_integration": FundingSource.STATE_INTEGRATION.value,
        "school_ministry": FundingSource.SCHOOL_MINISTRY.value,
        "district": FundingSource.DISTRICT.value,
        "programme": FundingSource.PROGRAMME.value,
        "approved": GrantStatus.APPROVED.value,
        "questions": ProofStatus.QUESTIONS.value,
    }


def aggregate_statements(
    *, months: Iterable[datetime.date], today: datetime.date | None = None, centre_id: int | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """The grouped SQL behind the indicators, with its parameters: all centres, or the one `centre_id`."""
    ordered = _normalise_months(months)
    parameters = _parameters(ordered, today or timezone.localdate(), centre_id)
    return [(sql, parameters) for sql, _keys in _statements(centre_id is not None)]


def _number(value: Any) -> Number | None:
    if value is None:
        return None
    if isinstance(value, Decimal | float):
        return float(value)
    return int(value)


Values = dict[tuple[int, datetime.date], dict[str, Number | None]]
# What the grouped statements return, as fetched: one tuple of rows per statement. Hashable and comparable, so
# that what is derived from it (the state dashboard's rendered body) can be remembered exactly by it.
AggregateRows = tuple[tuple[tuple[Any, ...], ...], ...]


def aggregate_rows(
    *, months: Iterable[datetime.date], centre_id: int | None = None, today: datetime.date | None = None
) -> AggregateRows:
    """The rows of the grouped statements (`aggregate_statements`), executed and fetched."""
    ordered = _normalise_months(months)
    parameters = _parameters(ordered, today or timezone.localdate(), centre_id)
    fetched = []
    # Row-level security: the grouped counts of every centre are the state's aggregate, read across centres like a
    # `dangerously_unscoped()` queryset (docs/rls.md); one centre's are read in that centre.
    scope = dangerously_all_centres() if centre_id is None else centre_scope(centre_id)
    with scope, connection.cursor() as cursor:
        for sql, _keys in _statements(centre_id is not None):
            cursor.execute(sql, parameters)
            fetched.append(tuple(cursor.fetchall()))
    return tuple(fetched)


def values_from_rows(rows: AggregateRows, *, months: Iterable[datetime.date], centre_id: int | None = None) -> Values:
    """{(centre id, month): {key: value}} for every indicator; counts absent from the data are 0."""
    wanted = set(_normalise_months(months))
    values: Values = defaultdict(dict)
    for (_sql, keys), statement_rows in zip(_statements(centre_id is not None), rows, strict=True):
        for row in statement_rows:
            month = row[1]
            if month not in wanted:
                continue
            cell = values[(row[0], month)]
            for key, value in zip(keys, row[2:], strict=True):
                cell[key] = _number(value) if value is not None else _default(INDICATOR_BY_KEY[key])
    return values


def computed_values(
    *, months: Iterable[datetime.date], centre_id: int | None = None, today: datetime.date | None = None
) -> Values:
    """{(centre id, month): {key: value}} for every indicator; counts absent from the data are 0."""
    ordered = _normalise_months(months)
    rows = aggregate_rows(months=ordered, centre_id=centre_id, today=today)
    return values_from_rows(rows, months=ordered, centre_id=centre_id)


def _default(indicator: Indicator) -> Number | None:
    # A count the data does not mention is zero; a median or a manual figure nobody entered is unknown.
    if indicator.manual or indicator.unit is Unit.DAYS:
        return None
    return 0


# One centre ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CentreIndicators:
    centre_id: int
    months: list[datetime.date]
    indicators: tuple[Indicator, ...]
    values: dict[str, list[Number | None]]

    def value(self, key: str, month: datetime.date) -> Number | None:
        return self.values[key][self.months.index(month_start(month))]

    def series(self, key: str) -> list[Number | None]:
        return self.values[key]


def centre_indicators(
    *, centre: Any, months: Iterable[datetime.date], today: datetime.date | None = None
) -> CentreIndicators:
    """The own centre's indicators per month, unsuppressed."""
    ordered = _normalise_months(months)
    computed = computed_values(months=ordered, centre_id=centre.pk, today=today)
    indicators = all_indicators()
    values = {
        indicator.key: [
            computed.get((centre.pk, month), {}).get(indicator.key, _default(indicator)) for month in ordered
        ]
        for indicator in indicators
    }
    return CentreIndicators(centre_id=centre.pk, months=ordered, indicators=indicators, values=values)


# All centres, for the state ---------------------------------------------------------------------------


class FigureStatus(Enum):
    PUBLISHED = "published"
    # Hidden to protect small numbers. Whether the count itself was small or hidden to protect another is not
    # said: "< 5" would tell the reader more, and with it some tables cannot be protected at all.
    SUPPRESSED = "suppressed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Figure:
    value: Number | None
    status: FigureStatus
    per_10000: float | None = None

    @property
    def is_suppressed(self) -> bool:
        return self.status is FigureStatus.SUPPRESSED

    @property
    def text(self) -> str:
        if self.is_suppressed:
            return SUPPRESSED_MARK
        if self.value is None:
            return "–"
        if isinstance(self.value, float) and not self.value.is_integer():
            return f"{self.value:.1f}"
        return f"{int(self.value)}"


SUPPRESSED_MARK = "×"


@lru_cache(maxsize=4096)
def _person_column(
    raw: tuple[Number | None, ...],
    inhabitants: tuple[int, ...],
    total_inhabitants: int,
    threshold: int,
    with_totals: bool,
) -> tuple[tuple[Figure, ...], Figure | None]:
    """A column of counts of persons as shown: a pure function of its counts, remembered like the suppression."""
    cells, total_cell = _suppressed_column(tuple(int(value or 0) for value in raw), threshold, with_totals)
    figures = tuple(
        Figure(None, FigureStatus.UNKNOWN)
        if value is None
        else Figure(cell.shown, _status(cell.status), _rate(cell.shown, people))
        for value, cell, people in zip(raw, cells, inhabitants, strict=True)
    )
    total = (
        Figure(total_cell.shown, _status(total_cell.status), _rate(total_cell.shown, total_inhabitants))
        if total_cell is not None
        else None
    )
    return figures, total


@dataclass(frozen=True)
class CentreInfo:
    id: int
    slug: str
    name: str
    district: str
    inhabitants: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class StateRow:
    centre: CentreInfo
    figures: dict[str, Figure]


def _status(status: Status) -> FigureStatus:
    return FigureStatus.PUBLISHED if status is Status.PUBLISHED else FigureStatus.SUPPRESSED


@lru_cache(maxsize=4096)
def _suppressed_column(values: tuple[int, ...], threshold: int, with_total: bool) -> tuple[list[Cell], Cell | None]:
    # A pure function of the counts, and the exact check behind it costs milliseconds per column: the same
    # counts (the same month on the next page view) get the same answer from memory. Nothing stale can come
    # out of it: other counts are other keys.
    return suppress_counts(values, threshold=threshold, with_total=with_total, marks_reasons=False)


def _rate(value: Number | None, inhabitants: int) -> float | None:
    if value is None or inhabitants <= 0:
        return None
    return round(value * 10_000 / inhabitants, 2)


@dataclass
class StateIndicators:
    months: list[datetime.date]
    centres: list[CentreInfo]
    indicators: tuple[Indicator, ...]
    raw: Values
    with_totals: bool
    threshold: int
    computed_at: datetime.datetime = field(default_factory=timezone.now)
    _columns: dict[tuple[datetime.date, str], tuple[list[Figure], Figure | None]] = field(default_factory=dict)

    @cached_property
    def inhabitants(self) -> int:
        return sum(centre.inhabitants for centre in self.centres)

    @cached_property
    def _centre_index(self) -> dict[int, int]:
        return {centre.id: index for index, centre in enumerate(self.centres)}

    def _raw(self, centre_id: int, month: datetime.date, indicator: Indicator) -> Number | None:
        return self.raw.get((centre_id, month), {}).get(indicator.key, _default(indicator))

    def _column(self, month: datetime.date, key: str) -> tuple[list[Figure], Figure | None]:
        """The figures of one indicator in one month across the centres, suppressed once and remembered."""
        month = month_start(month)
        cached = self._columns.get((month, key))
        if cached is not None:
            return cached
        indicator = INDICATOR_BY_KEY.get(key) or {i.key: i for i in self.indicators}[key]
        raw = [self._raw(centre.id, month, indicator) for centre in self.centres]
        figures: list[Figure]
        total: Figure | None
        if indicator.basis is not None:
            basis, basis_total = self._column(month, indicator.basis)
            figures = [
                Figure(value, FigureStatus.UNKNOWN if value is None else FigureStatus.PUBLISHED)
                if shown.status is FigureStatus.PUBLISHED
                else Figure(None, shown.status)
                for value, shown in zip(raw, basis, strict=True)
            ]
            total = self._basis_total(month, indicator, basis_total)
        elif indicator.counts_persons:
            built = _person_column(
                tuple(raw),
                tuple(centre.inhabitants for centre in self.centres),
                self.inhabitants,
                self.threshold,
                self.with_totals,
            )
            figures, total = list(built[0]), built[1]
        else:
            figures = [
                Figure(
                    value,
                    FigureStatus.UNKNOWN if value is None else FigureStatus.PUBLISHED,
                    _rate(value, centre.inhabitants) if indicator.per_inhabitants else None,
                )
                for value, centre in zip(raw, self.centres, strict=True)
            ]
            known_values = [value for value in raw if value is not None]
            summed = sum(known_values) if known_values else None
            total = (
                Figure(
                    summed,
                    FigureStatus.UNKNOWN if summed is None else FigureStatus.PUBLISHED,
                    _rate(summed, self.inhabitants) if indicator.per_inhabitants else None,
                )
                if self.with_totals
                else None
            )
        self._columns[(month, key)] = (figures, total)
        return figures, total

    def _basis_total(self, month: datetime.date, indicator: Indicator, basis_total: Figure | None) -> Figure | None:
        if basis_total is None:
            return None
        if basis_total.status is not FigureStatus.PUBLISHED:
            return Figure(None, basis_total.status)
        if indicator.unit is Unit.DAYS:
            return Figure(None, FigureStatus.UNKNOWN)  # a median of medians is no median; see state_median
        values = [self._raw(centre.id, month, indicator) for centre in self.centres]
        summed = sum(value for value in values if value is not None)
        return Figure(summed, FigureStatus.PUBLISHED, None)

    def own_figure(self, centre_id: int, month: datetime.date, key: str) -> Figure:
        """A centre's own figure as it is, unsuppressed: only for that centre's own users."""
        indicator = INDICATOR_BY_KEY.get(key) or {i.key: i for i in self.indicators}[key]
        value = self._raw(centre_id, month_start(month), indicator)
        inhabitants = self.centres[self._centre_index[centre_id]].inhabitants
        return Figure(
            value,
            FigureStatus.UNKNOWN if value is None else FigureStatus.PUBLISHED,
            _rate(value, inhabitants) if indicator.per_inhabitants else None,
        )

    def figure(self, centre_id: int, month: datetime.date, key: str) -> Figure:
        figures, _total = self._column(month, key)
        return figures[self._centre_index[centre_id]]

    def total(self, month: datetime.date, key: str) -> Figure | None:
        """The state's total of one indicator in one month (None when totals are not published)."""
        return self._column(month, key)[1]

    def table(self, month: datetime.date) -> list[StateRow]:
        columns = {indicator.key: self._column(month, indicator.key)[0] for indicator in self.indicators}
        return [
            StateRow(centre=centre, figures={key: figures[index] for key, figures in columns.items()})
            for index, centre in enumerate(self.centres)
        ]

    def trend(self, key: str) -> list[Figure | None]:
        """The state's totals of one indicator over the months."""
        return [self.total(month, key) for month in self.months]


def centre_infos() -> list[CentreInfo]:
    from ankommen.regions.models import Centre

    return [
        CentreInfo(
            id=centre.pk,
            slug=centre.slug,
            name=centre.name,
            district=centre.region.name,
            inhabitants=centre.population_served,
            latitude=centre.latitude,
            longitude=centre.longitude,
        )
        for centre in Centre.objects.select_related("region").order_by("name")
    ]


def state_indicators(
    *,
    month: datetime.date | None = None,
    months: Iterable[datetime.date] | None = None,
    with_totals: bool = True,
    today: datetime.date | None = None,
    threshold: int | None = None,
    rows: AggregateRows | None = None,
    centres: list[CentreInfo] | None = None,
) -> StateIndicators:
    """All centres per month, suppressed for small numbers (see the module docstring).

    `rows` and `centres` are what `aggregate_rows` and `centre_infos` return, for a caller that has them already.
    """
    if (month is None) == (months is None):
        raise ValueError("Pass either month or months.")
    ordered = _normalise_months([month] if month is not None else months or [])
    if rows is None:
        rows = aggregate_rows(months=ordered, today=today)
    return StateIndicators(
        months=ordered,
        centres=centre_infos() if centres is None else centres,
        indicators=all_indicators(),
        raw=values_from_rows(rows, months=ordered),
        with_totals=with_totals,
        threshold=threshold or suppression_threshold(),
    )
