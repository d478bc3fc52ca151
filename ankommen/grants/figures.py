"""Figures of the grants module for budget views, exports and the indicators: sums of money, never a person.

Every figure belongs to a programme year (the year of the allocation and of the grant, not of the payment date):
- allocated: what the state allocated to the centre;
- granted: the approved amounts of the centre's approved grants;
- paid: the instalments paid on those grants;
- proven: the amounts spent according to accepted proofs of use, each at most the grant's approved amount
  (an organisation spending more from its own funds does not prove more).

The state's table has one row for each of the 54 centres, also for centres with nothing. Reads across centres are
aggregates only (`dangerously_unscoped` with a GROUP BY), and no name or e-mail address of a contact is read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Least
from django.utils import timezone

from ankommen.grants.models import (
    Allocation,
    Grant,
    GrantStatus,
    Payment,
    Programme,
    ProgrammeBudget,
    ProofOfUse,
    ProofStatus,
)
from ankommen.regions.models import Centre

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BudgetFigures:
    allocated: Decimal = ZERO
    granted: Decimal = ZERO
    paid: Decimal = ZERO
    proven: Decimal = ZERO
    applications_open: int = 0
    grants_approved: int = 0
    proofs_overdue: int = 0

    @property
    def not_granted(self) -> Decimal:
        return self.allocated - self.granted

    @property
    def not_paid(self) -> Decimal:
        return self.granted - self.paid


@dataclass(frozen=True)
class ProgrammeLine:
    programme: Programme
    figures: BudgetFigures


@dataclass(frozen=True)
class CentreLine:
    centre_id: int
    centre_name: str
    figures: BudgetFigures


@dataclass(frozen=True)
class StateTable:
    year: int
    programme: Programme | None
    budget: Decimal | None
    rows: list[CentreLine]
    total: BudgetFigures


def _by_centre(year: int, programme: Programme | None, centre: Centre | None = None) -> dict[int, dict[str, object]]:
    """Each figure in one grouped query per table: keyed by centre id."""
    today = timezone.localdate()
    scope = Q(year=year) & (Q(programme=programme) if programme else Q())
    grant_scope = Q(grant__year=year) & (Q(grant__programme=programme) if programme else Q())
    if centre is not None:
        scope &= Q(centre=centre)
        grant_scope &= Q(centre=centre)
    values: dict[int, dict[str, object]] = defaultdict(dict)
    for centre_id, total in (
        Allocation.objects.dangerously_unscoped().filter(scope).values_list("centre").annotate(t=Sum("amount"))
    ):
        values[centre_id]["allocated"] = total
    for centre_id, granted, approved, open_count, overdue in (
        Grant.objects.dangerously_unscoped()
        .filter(scope)
        .values_list("centre")
        .annotate(
            granted=Sum("approved_amount", filter=Q(status=GrantStatus.APPROVED)),
            approved=Count("id", filter=Q(status=GrantStatus.APPROVED)),
            open=Count("id", filter=Q(status=GrantStatus.APPLIED)),
            overdue=Count(
                "id",
                filter=Q(status=GrantStatus.APPROVED, proof_due_on__lt=today)
                & (Q(proof__isnull=True) | Q(proof__status=ProofStatus.QUESTIONS)),
            ),
        )
        .order_by()
    ):
        values[centre_id].update(granted=granted, grants_approved=approved, applications_open=open_count)
        values[centre_id]["proofs_overdue"] = overdue
    for centre_id, total in (
        Payment.objects.dangerously_unscoped()
        .filter(grant_scope)
        .values_list("centre")
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        values[centre_id]["paid"] = total
    for centre_id, total in (
        ProofOfUse.objects.dangerously_unscoped()
        .filter(grant_scope, status=ProofStatus.ACCEPTED)
        .values_list("centre")
        .annotate(t=Sum(Least(F("spent_amount"), F("grant__approved_amount"))))
        .order_by()
    ):
        values[centre_id]["proven"] = total
    return values


def _figures(values: dict[str, object]) -> BudgetFigures:
    return BudgetFigures(
        allocated=Decimal(values.get("allocated") or ZERO),  # type: ignore[arg-type]
        granted=Decimal(values.get("granted") or ZERO),  # type: ignore[arg-type]
        paid=Decimal(values.get("paid") or ZERO),  # type: ignore[arg-type]
        proven=Decimal(values.get("proven") or ZERO),  # type: ignore[arg-type]
        applications_open=int(values.get("applications_open") or 0),  # type: ignore[call-overload]
        grants_approved=int(values.get("grants_approved") or 0),  # type: ignore[call-overload]
        proofs_overdue=int(values.get("proofs_overdue") or 0),  # type: ignore[call-overload]
    )


def _total(rows: list[BudgetFigures]) -> BudgetFigures:
    return BudgetFigures(
        allocated=sum((r.allocated for r in rows), ZERO),
        granted=sum((r.granted for r in rows), ZERO),
        paid=sum((r.paid for r in rows), ZERO),
        proven=sum((r.proven for r in rows), ZERO),
        applications_open=sum(r.applications_open for r in rows),
        grants_approved=sum(r.grants_approved for r in rows),
        proofs_overdue=sum(r.proofs_overdue for r in rows),
    )


def centre_budget(*, centre: Centre, year: int) -> list[ProgrammeLine]:
    """One centre's figures of a year, one line per programme that allocated to it or that it granted from."""
    lines = []
    for programme in Programme.objects.order_by("name"):
        figures = _figures(_by_centre(year, programme, centre).get(centre.pk, {}))
        if figures != BudgetFigures():
            lines.append(ProgrammeLine(programme=programme, figures=figures))
    return lines


def centre_budget_total(*, centre: Centre, year: int) -> BudgetFigures:
    """One centre's figures of a year over all programmes (for the indicators)."""
    return _figures(_by_centre(year, None, centre).get(centre.pk, {}))


def state_budget_table(*, year: int, programme: Programme | None = None) -> StateTable:
    """All 54 centres with their sums for a year (one programme, or all), and the state's total."""
    values = _by_centre(year, programme)
    rows = [
        CentreLine(centre_id=centre.pk, centre_name=centre.name, figures=_figures(values.get(centre.pk, {})))
        for centre in Centre.objects.order_by("name")
    ]
    budget = None
    if programme is not None:
        budget = ProgrammeBudget.objects.filter(programme=programme, year=year).values_list("amount", flat=True).first()
    return StateTable(year=year, programme=programme, budget=budget, rows=rows, total=_total([r.figures for r in rows]))


def programme_year_summary(*, programme: Programme, year: int) -> tuple[Decimal | None, BudgetFigures]:
    """A programme's budget of a year and the state's total of its figures."""
    table = state_budget_table(year=year, programme=programme)
    return table.budget, table.total
