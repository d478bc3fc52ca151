"""The budget tables as downloads (CSV for German Excel and XLSX) through ankommen/core/exports.py."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from ankommen.core.exports import Table, csv_response, xlsx_response
from ankommen.grants.figures import BudgetFigures, ProgrammeLine, StateTable

FORMATS = ("csv", "xlsx")


def _figure_columns() -> list[str]:
    return [
        _("Allocated (EUR)"),
        _("Granted (EUR)"),
        _("Paid (EUR)"),
        _("Proven (EUR)"),
        _("Open applications"),
        _("Overdue proofs of use"),
    ]


def _figure_cells(f: BudgetFigures) -> list[object]:
    return [f.allocated, f.granted, f.paid, f.proven, f.applications_open, f.proofs_overdue]


def centre_budget_table(*, centre_name: str, year: int, lines: list[ProgrammeLine]) -> Table:
    return Table(
        title=_("Programme funds %(year)d") % {"year": year},
        columns=[_("Programme"), *_figure_columns()],
        rows=[[line.programme.name, *_figure_cells(line.figures)] for line in lines],
    )


def state_budget_table(*, table: StateTable) -> Table:
    title = _("Programme funds %(year)d") % {"year": table.year}
    if table.programme is not None:
        title = f"{table.programme.name} {table.year}"
    return Table(
        title=title,
        columns=[_("Centre"), *_figure_columns()],
        rows=[
            *([row.centre_name, *_figure_cells(row.figures)] for row in table.rows),
            [_("All centres"), *_figure_cells(table.total)],
        ],
    )


def download(table: Table, *, file_format: str, filename: str) -> HttpResponse:
    if file_format == "csv":
        return csv_response(table, filename=filename)
    if file_format == "xlsx":
        return xlsx_response([table], filename=filename)
    raise Http404
