"""Figures for the start pages: one centre's own figures, and the state's table of all centres.

This module is the one place that reads personal data across centres (`dangerously_unscoped`),
and it returns only aggregates that went through small-number suppression, never a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from ankommen.people.models import Consent, Family, Person, Purpose
from ankommen.regions.models import Centre
from ankommen.reporting.suppression import Cell, Status, suppress_table

RECENT_DAYS = 7
ADULT_AGE = 18


@dataclass(frozen=True)
class CentreFigures:
    persons: int
    families: int
    children: int
    persons_without_school_basis: int
    persons_changed_recently: int
    families_changed_recently: int
    recent_days: int = RECENT_DAYS


@dataclass(frozen=True)
class PublishedCount:
    """A count as it may be shown: the number, or only the reason it is hidden."""

    shown: int | None
    status: str

    @classmethod
    def of(cls, cell: Cell) -> PublishedCount:
        return cls(shown=cell.shown, status=cell.status.value)


@dataclass(frozen=True)
class CentreRow:
    centre_name: str
    district: str
    inhabitants: int
    persons: PublishedCount
    children: PublishedCount
    persons_per_10000: Decimal | None


@dataclass(frozen=True)
class StateTable:
    rows: list[CentreRow]
    inhabitants: int
    persons: PublishedCount
    children: PublishedCount
    persons_per_10000: Decimal | None


def adult_birth_date_cutoff(today: date) -> date:
    """Persons born after this day are under 18 today."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - ADULT_AGE, day=28)


def centre_figures(*, centre: Centre) -> CentreFigures:
    now = timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    cutoff = adult_birth_date_cutoff(timezone.localdate())
    persons = Person.objects.for_centre(centre)
    # Persons with a basis, counted from the consents: at most one active basis per person and purpose (the
    # constraint `one_active_basis_per_purpose`), in its person's centre (Consent.clean). One index scan of the
    # centre's consents, where "persons without" as NOT EXISTS cost three times as much on a large centre.
    with_school_basis = (
        Consent.objects.for_centre(centre).filter(purpose=Purpose.SCHOOL_PLACEMENT, withdrawn_on__isnull=True).count()
    )
    person_counts = persons.aggregate(
        total=Count("id"),
        children=Count("id", filter=Q(birth_date__gt=cutoff)),
        changed=Count("id", filter=Q(updated_at__gte=since)),
    )
    family_counts = Family.objects.for_centre(centre).aggregate(
        total=Count("id"), changed=Count("id", filter=Q(updated_at__gte=since))
    )
    return CentreFigures(
        persons=person_counts["total"],
        families=family_counts["total"],
        children=person_counts["children"],
        persons_without_school_basis=person_counts["total"] - with_school_basis,
        persons_changed_recently=person_counts["changed"],
        families_changed_recently=family_counts["changed"],
    )


def state_centre_table() -> StateTable:
    """All centres with persons and children registered, suppressed for publication to the state."""
    cutoff = adult_birth_date_cutoff(timezone.localdate())
    counts = {
        row["centre_id"]: (row["persons"], row["children"])
        for row in Person.objects.dangerously_unscoped()
        .values("centre_id")
        .annotate(persons=Count("id"), children=Count("id", filter=Q(birth_date__gt=cutoff)))
        .order_by()
    }
    centres = list(Centre.objects.select_related("region").order_by("name"))
    # Columns: children, adults (hidden); the row total is "persons". Adults are never shown,
    # but persons minus children would reveal them, so they are protected as well.
    grid = []
    for centre in centres:
        persons, children = counts.get(centre.pk, (0, 0))
        grid.append([children, persons - children])
    table = suppress_table(grid, row_totals=True, column_totals=True, hidden_columns={1})
    rows = [
        CentreRow(
            centre_name=centre.name,
            district=centre.region.name,
            inhabitants=centre.population_served,
            persons=PublishedCount.of(persons_cell),
            children=PublishedCount.of(cells[0]),
            persons_per_10000=_rate(persons_cell, centre.population_served),
        )
        for centre, cells, persons_cell in zip(centres, table.cells, table.row_totals or [], strict=True)
    ]
    inhabitants = sum(centre.population_served for centre in centres)
    grand_total = table.grand_total or Cell(0, Status.PUBLISHED)
    children_total = table.column_totals[0] if table.column_totals else Cell(0, Status.PUBLISHED)
    return StateTable(
        rows=rows,
        inhabitants=inhabitants,
        persons=PublishedCount.of(grand_total),
        children=PublishedCount.of(children_total),
        persons_per_10000=_rate(grand_total, inhabitants),
    )


def _rate(persons: Cell, inhabitants: int) -> Decimal | None:
    # The rate would give the suppressed count back (rate times inhabitants), so it follows the count.
    if persons.shown is None or inhabitants <= 0:
        return None
    return (Decimal(persons.shown) * 10_000 / inhabitants).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
