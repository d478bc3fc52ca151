"""The evaluation extract for the researcher role: counts per centre, month and category, pseudonymised and suppressed.

This module reads the modules' data across all centres through `dangerously_unscoped()` (the reporting app's
bypass of centre scoping, see ankommen/core/scoping.py). It does so only in grouped queries that return counts, and
every count leaves this module only after small-number suppression: nothing here returns a person, a name or an id
of a person. Each variable is one table per month: centres × categories, with the centre totals (rows), the state
totals per category (columns) and the grand total, suppressed together so that no hidden count can be worked out
from the totals published with it (ankommen/reporting/suppression.py; the proof is in docs/evaluation.md).

Centres appear under a keyed pseudonym (HMAC-SHA256 of the centre's short name with `ANKOMMEN_PSEUDONYM_KEY`), the
same in every extract made with the same key.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ankommen.core.exports import Table
from ankommen.regions.models import Centre
from ankommen.reporting.indicators import INDICATOR_BY_KEY, StateIndicators, state_indicators, suppression_threshold
from ankommen.reporting.suppression import Cell, suppress_table

ALL_CENTRES = "all"
TOTAL = "total"
UNKNOWN = "unknown"
MAXIMUM_MONTHS = 24
PSEUDONYM_LENGTH = 16  # hex digits: 64 bits, no collision among 54 centres
COLUMNS = ("month", "centre", "variable", "category", "count", "suppressed")
# The `suppressed` value of a withheld cell (see ExtractRow.withheld).
WITHHELD = 2

# (centre id, first day of the month, category code) → count
Counts = dict[tuple[int, datetime.date, str], int]


def pseudonym_key() -> bytes:
    """The secret of the centre pseudonyms: ANKOMMEN_PSEUDONYM_KEY, else derived from SECRET_KEY."""
    key = settings.ANKOMMEN_PSEUDONYM_KEY or ""
    if key:
        return str(key).encode()
    # Derived, not SECRET_KEY itself: a pseudonym must never help anyone guess the signing key.
    return hmac.new(str(settings.SECRET_KEY).encode(), b"ankommen.evaluation.pseudonym", hashlib.sha256).digest()


def centre_pseudonym(centre: Centre, *, key: bytes | None = None) -> str:
    digest = hmac.new(key or pseudonym_key(), centre.slug.encode(), hashlib.sha256).hexdigest()
    return "Z" + digest[:PSEUDONYM_LENGTH]


# --- Months -------------------------------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    month = month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_month(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date().replace(day=1) if timezone.is_aware(value) else value.date()
    return month_start(value)


def _grouped(rows: Iterable[Any], category: Callable[[Any], str] = str) -> Counts:
    counts: Counts = defaultdict(int)
    for row in rows:
        counts[(row["centre_id"], _as_month(row["month"]), category(row["category"]))] += row["n"]
    return counts


# --- The variables ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class Variable:
    name: str
    module: str
    meaning: str | Promise
    counted_in: str | Promise  # which month a record counts in
    unit: str | Promise
    categories: Callable[[], list[Category]]
    counts: Callable[[datetime.date, datetime.date], Counts]  # first day of first month, first day after last


AGE_BANDS = [
    Category("under_6", _("under 6 years")),
    Category("6_9", _("6 to 9 years")),
    Category("10_15", _("10 to 15 years")),
    Category("16_over", _("16 years and over")),
    Category(UNKNOWN, _("date of birth unknown")),
]


def age_band(birth_date: datetime.date | None, on: datetime.date) -> str:
    if birth_date is None:
        return UNKNOWN
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if age < 6:
        return "under_6"
    if age <= 9:
        return "6_9"
    if age <= 15:
        return "10_15"
    return "16_over"


def _children_registered(start: datetime.date, end: datetime.date) -> Counts:
    from ankommen.schooling.models import Intake

    # Grouped by centre, day of registration and date of birth: the age band needs both dates.
    rows = (
        Intake.objects.dangerously_unscoped()
        .filter(registered_on__gte=start, registered_on__lt=end)
        .values("centre_id", "registered_on", birth_date=F("child__birth_date"))
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: Counts = defaultdict(int)
    for row in rows:
        band = age_band(row["birth_date"], row["registered_on"])
        counts[(row["centre_id"], month_start(row["registered_on"]), band)] += row["n"]
    return counts


def _school_levels() -> list[Category]:
    from ankommen.schooling.models import Stage

    return [Category(value, label) for value, label in Stage.choices]


def school_level(grade: int) -> str:
    from ankommen.schooling.models import Stage

    if grade <= 4:
        return Stage.PRIMARY.value
    if grade <= 10:
        return Stage.LOWER_SECONDARY.value
    return Stage.UPPER_SECONDARY.value


def _children_placed(start: datetime.date, end: datetime.date) -> Counts:
    from ankommen.schooling.models import Placement, PlacementStatus

    rows = (
        Placement.objects.dangerously_unscoped()
        .filter(status=PlacementStatus.CONFIRMED, start_date__gte=start, start_date__lt=end)
        .annotate(month=TruncMonth("start_date"), category=F("grade"))
        .values("centre_id", "month", "category")
        .annotate(n=Count("intake", distinct=True))
        .order_by()
    )
    return _grouped(rows, school_level)


def _activities() -> list[Category]:
    from ankommen.volunteering.models import Activity
    from ankommen.volunteering.selectors import activity_label

    codes = [*Activity.objects.order_by("position", "code").values_list("code", flat=True), "shifts"]
    return [Category(code, activity_label(code)) for code in codes]


def _volunteers_active(start: datetime.date, end: datetime.date) -> Counts:
    from ankommen.volunteering.models import HoursEntry, HoursStatus

    rows = (
        HoursEntry.objects.dangerously_unscoped()
        .filter(status=HoursStatus.CONFIRMED, date__gte=start, date__lt=end)
        .annotate(month=TruncMonth("date"), category=F("activity"))
        .values("centre_id", "month", "category")
        .annotate(n=Count("volunteer", distinct=True))
        .order_by()
    )
    return _grouped(rows)


def _request_statuses() -> list[Category]:
    from ankommen.volunteering.models import RequestStatus

    return [Category(value, label) for value, label in RequestStatus.choices]


def _support_requests(start: datetime.date, end: datetime.date) -> Counts:
    from ankommen.volunteering.models import SupportRequest

    rows = (
        SupportRequest.objects.dangerously_unscoped()
        .filter(created_at__gte=_aware(start), created_at__lt=_aware(end))
        .annotate(month=TruncMonth("created_at"), category=F("status"))
        .values("centre_id", "month", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _grouped(rows)


def _work_stages() -> list[Category]:
    from ankommen.work.models import Stage

    return [Category(value, label) for value, label in Stage.choices]


def _applications_by_stage(start: datetime.date, end: datetime.date) -> Counts:
    from ankommen.work.models import ApplicationStep

    rows = (
        ApplicationStep.objects.dangerously_unscoped()
        .filter(at__gte=_aware(start), at__lt=_aware(end))
        .annotate(month=TruncMonth("at"), category=F("to_stage"))
        .values("centre_id", "month", "category")
        .annotate(n=Count("application__profile", distinct=True))
        .order_by()
    )
    return _grouped(rows)


def _audiences() -> list[Category]:
    from ankommen.courses.models import Audience

    return [Category(a.key, a.name) for a in Audience.objects.order_by("position", "key")]


def _course_participants(start: datetime.date, end: datetime.date) -> Counts:
    from ankommen.courses.models import Attendance

    rows = (
        Attendance.objects.dangerously_unscoped()
        .filter(is_present=True, session__date__gte=start, session__date__lt=end)
        .annotate(month=TruncMonth("session__date"), category=F("registration__audience__key"))
        .values("centre_id", "month", "category")
        .annotate(n=Count("registration", distinct=True))
        .order_by()
    )
    return _grouped(rows)


def _organisation_kinds() -> list[Category]:
    from ankommen.network.models import OrganisationKind

    return [Category(value, label) for value, label in OrganisationKind.choices]


def _organisations(start: datetime.date, end: datetime.date) -> Counts:
    from ankommen.network.models import Organisation

    # A stock: the organisations on record at the end of each month, from one grouped query of their creation.
    created = (
        Organisation.objects.dangerously_unscoped()
        .filter(created_at__lt=_aware(end))
        .annotate(month=TruncMonth("created_at"), category=F("kind"))
        .values("centre_id", "month", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    new = _grouped(created)
    counts: Counts = defaultdict(int)
    for month in months_between(start, end - datetime.timedelta(days=1)):
        for (centre_id, created_month, kind), n in new.items():
            if created_month <= month:
                counts[(centre_id, month, kind)] += n
    return counts


def _referral_outcomes() -> list[Category]:
    from ankommen.network.models import ReferralOutcome

    return [Category(value, label) for value, label in ReferralOutcome.choices]


def _referrals(start: datetime.date, end: datetime.date) -> Counts:
    from ankommen.network.models import Referral

    rows = (
        Referral.objects.dangerously_unscoped()
        .filter(referred_on__gte=start, referred_on__lt=end)
        .annotate(month=TruncMonth("referred_on"), category=F("outcome"))
        .values("centre_id", "month", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _grouped(rows)


VARIABLES: list[Variable] = [
    Variable(
        name="children_registered",
        module="schooling",
        meaning=_("Children and youths registered for school placement (intakes opened), by age at registration."),
        counted_in=_("month of registration"),
        unit=_("children"),
        categories=lambda: AGE_BANDS,
        counts=_children_registered,
    ),
    Variable(
        name="children_placed",
        module="schooling",
        meaning=_("Children whose school place was confirmed by the school, by school level of the grade."),
        counted_in=_("month of the first school day at the confirmed school"),
        unit=_("children"),
        categories=_school_levels,
        counts=_children_placed,
    ),
    Variable(
        name="volunteers_active",
        module="volunteering",
        meaning=_(
            "Volunteers with confirmed hours, by activity. A volunteer active in two activities counts once in "
            "each; the centre total is the sum over the activities."
        ),
        counted_in=_("month of the confirmed hours"),
        unit=_("volunteers per activity"),
        categories=_activities,
        counts=_volunteers_active,
    ),
    Variable(
        name="support_requests",
        module="volunteering",
        meaning=_("Requests for volunteer support opened, by their status when the extract is made."),
        counted_in=_("month the request was opened"),
        unit=_("requests"),
        categories=_request_statuses,
        counts=_support_requests,
    ),
    Variable(
        name="candidates_by_stage",
        module="work",
        meaning=_(
            "Candidates whose application reached a stage of the pipeline (proposed to signed contract and "
            "follow-up), by stage. A candidate counts once per stage and month."
        ),
        counted_in=_("month the stage was reached"),
        unit=_("candidates per stage"),
        categories=_work_stages,
        counts=_applications_by_stage,
    ),
    Variable(
        name="course_participants",
        module="courses",
        meaning=_("Participants present at one or more sessions of a further-training course, by audience."),
        counted_in=_("month of the session"),
        unit=_("participants"),
        categories=_audiences,
        counts=_course_participants,
    ),
    Variable(
        name="organisations",
        module="network",
        meaning=_("Organisations in the centre's network directory at the end of the month, by kind."),
        counted_in=_("every month from the month the organisation was recorded"),
        unit=_("organisations"),
        categories=_organisation_kinds,
        counts=_organisations,
    ),
    Variable(
        name="referrals",
        module="network",
        meaning=_("Referrals of a person to a service of the network, by their outcome when the extract is made."),
        counted_in=_("month of the referral"),
        unit=_("referrals"),
        categories=_referral_outcomes,
        counts=_referrals,
    ),
]


# --- The extract --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtractRow:
    month: str  # YYYY-MM
    centre: str  # pseudonym, or "all" for the state total
    variable: str
    category: str  # code, or "total" for the centre's total
    count: int | None  # None when suppressed or withheld
    suppressed: bool
    # The category breakdown of a table that cannot be protected against the dashboard's published totals is not
    # published at all: zeros included, so a withheld cell says nothing, not even "at least one".
    withheld: bool = False

    def as_list(self) -> list[object]:
        marker = WITHHELD if self.withheld else 1 if self.suppressed else 0
        return [self.month, self.centre, self.variable, self.category, self.count, marker]


@dataclass(frozen=True)
class Extract:
    first_month: datetime.date
    last_month: datetime.date
    threshold: int
    rows: list[ExtractRow]

    @property
    def label(self) -> str:
        return f"{self.first_month:%Y-%m}_{self.last_month:%Y-%m}"


def _category_codes(variable: Variable, counts: Counts) -> list[str]:
    codes = [category.code for category in variable.categories()]
    # Codes in the data that the list does not know (an activity removed later) keep their own column.
    extra = sorted({code for (_c, _m, code) in counts} - set(codes))
    return codes + extra


def _row(month: datetime.date, centre: str, variable: str, category: str, cell: Cell) -> ExtractRow:
    return ExtractRow(
        month=f"{month:%Y-%m}",
        centre=centre,
        variable=variable,
        category=category,
        count=cell.shown,
        suppressed=cell.is_suppressed,
    )


def _withheld_table(
    month: datetime.date,
    name: str,
    codes: list[str],
    centre_ids: list[int],
    pseudonyms: dict[int, str],
    grid: list[list[int]],
    linked_rows: list[bool | None] | None,
) -> list[ExtractRow]:
    """A table whose categories cannot be protected: only the centre totals, as the dashboard publishes them.

    Where the dashboard shows a centre's total, the reader knows it, and a category breakdown can give a small
    count away whatever is hidden (three hidden cells in a row whose shown total is 3 are 1 each, since zeros are
    shown). Then the breakdown and the category totals are withheld; the centre totals and the grand total are
    what the dashboard shows already.
    """
    rows: list[ExtractRow] = []
    month_text = f"{month:%Y-%m}"
    for centre_id, counts, published in zip(centre_ids, grid, linked_rows or [None] * len(grid), strict=True):
        for code in codes:
            rows.append(ExtractRow(month_text, pseudonyms[centre_id], name, code, None, True, withheld=True))
        total = sum(counts) if published else None
        rows.append(ExtractRow(month_text, pseudonyms[centre_id], name, TOTAL, total, not published))
    for code in codes:
        rows.append(ExtractRow(month_text, ALL_CENTRES, name, code, None, True, withheld=True))
    rows.append(ExtractRow(month_text, ALL_CENTRES, name, TOTAL, None, True, withheld=True))
    return rows


def linked_variables() -> list[str]:
    """The variables whose centre totals the state dashboard publishes, suppressed, as an indicator of the same name."""
    return [
        variable.name
        for variable in VARIABLES
        if variable.name in INDICATOR_BY_KEY and INDICATOR_BY_KEY[variable.name].counts_persons
    ]


def _linked_totals(
    dashboard: StateIndicators, name: str, month: datetime.date, centre_ids: list[int], grid: list[list[int]]
) -> tuple[list[bool | None] | None, bool | None]:
    """How the state dashboard publishes this table's totals: True published, False hidden, None not the same figure.

    A variable named like an indicator has the indicator's figure as its centre total. Where the dashboard shows a
    centre's figure, the extract must not hide it as if the reader did not know it; where the dashboard hides it,
    the extract must hide it too. A total is linked only where both computations give the same number, so a
    definition that differs, or data that changed in between, links nothing by accident. Only person counts are
    linked: the dashboard hides small numbers of persons alone.
    """
    indicator = INDICATOR_BY_KEY.get(name)
    if indicator is None or not indicator.counts_persons:
        # A figure that counts no persons (organisations, say) is published by the dashboard as it is: it protects
        # nobody, so the extract's cautious hiding of its small cells needs no link to stay consistent.
        return None, None
    linked: list[bool | None] = []
    for centre_id, row in zip(centre_ids, grid, strict=True):
        if dashboard.own_figure(centre_id, month, name).value != sum(row):
            linked.append(None)
        else:
            linked.append(not dashboard.figure(centre_id, month, name).is_suppressed)
    total = dashboard.total(month, name)
    dashboard_sum = sum(dashboard.own_figure(centre_id, month, name).value or 0 for centre_id in centre_ids)
    linked_grand = None if total is None or dashboard_sum != sum(map(sum, grid)) else not total.is_suppressed
    return linked, linked_grand


def evaluation_extract(
    *, first_month: datetime.date, last_month: datetime.date, threshold: int | None = None
) -> Extract:
    """Every variable for every month of the period, suppressed table by table (one marker for every hidden cell)."""
    first_month, last_month = month_start(first_month), month_start(last_month)
    if last_month < first_month:
        raise ValueError("The period ends before it begins.")
    months = months_between(first_month, last_month)
    if len(months) > MAXIMUM_MONTHS:
        raise ValueError(f"An extract covers at most {MAXIMUM_MONTHS} months.")
    threshold = threshold or suppression_threshold()
    key = pseudonym_key()
    centres = list(Centre.objects.order_by("slug"))
    pseudonyms = {centre.pk: centre_pseudonym(centre, key=key) for centre in centres}
    # Sorted by pseudonym, not by name: the order must not give the centres away.
    centre_ids = sorted(pseudonyms, key=pseudonyms.__getitem__)
    rows: list[ExtractRow] = []
    if not centre_ids:  # a table of no rows has no width either: nothing to publish
        return Extract(first_month=first_month, last_month=last_month, threshold=threshold, rows=rows)
    # The state dashboard publishes some variables' centre totals as its own figures (same name as an indicator):
    # the extract is protected for a reader of both (see `_linked_totals`).
    dashboard = state_indicators(months=months, threshold=threshold)
    for variable in VARIABLES:
        counts = variable.counts(first_month, next_month(last_month))
        codes = _category_codes(variable, counts)
        for month in months:
            grid = [[counts.get((centre_id, month, code), 0) for code in codes] for centre_id in centre_ids]
            linked_rows, linked_grand = _linked_totals(dashboard, variable.name, month, centre_ids, grid)
            table = suppress_table(
                grid,
                threshold=threshold,
                row_totals=True,
                column_totals=True,
                marks_reasons=False,
                linked_row_totals=linked_rows,
                linked_grand_total=linked_grand,
            )
            if not table.safe:
                rows += _withheld_table(month, variable.name, codes, centre_ids, pseudonyms, grid, linked_rows)
                continue
            for centre_id, cells, total in zip(centre_ids, table.cells, table.row_totals or [], strict=True):
                for code, cell in zip(codes, cells, strict=True):
                    rows.append(_row(month, pseudonyms[centre_id], variable.name, code, cell))
                rows.append(_row(month, pseudonyms[centre_id], variable.name, TOTAL, total))
            for code, cell in zip(codes, table.column_totals or [], strict=True):
                rows.append(_row(month, ALL_CENTRES, variable.name, code, cell))
            if table.grand_total is not None:
                rows.append(_row(month, ALL_CENTRES, variable.name, TOTAL, table.grand_total))
    return Extract(first_month=first_month, last_month=last_month, threshold=threshold, rows=rows)


def extract_table(extract: Extract) -> Table:
    """The whole extract in long format: one row per month, centre, variable and category."""
    return Table(title="extract", columns=COLUMNS, rows=[row.as_list() for row in extract.rows])


def extract_tables(extract: Extract) -> list[Table]:
    """One sheet per variable, for the XLSX download."""
    by_variable: dict[str, list[list[object]]] = defaultdict(list)
    for row in extract.rows:
        by_variable[row.variable].append(row.as_list())
    return [Table(title=v.name, columns=COLUMNS, rows=by_variable[v.name]) for v in VARIABLES]
