"""Tables as downloads: CSV for German Excel and XLSX, both safe against spreadsheet formulas.

CSV follows what a German Excel opens with a double click: UTF-8 with a byte order mark (else umlauts break),
`;` as the separator and a decimal comma (German Excel reads `,` as the decimal separator, so a `,`-separated
file would split every decimal number). Tools that want machine-readable numbers take the XLSX, which stores
numbers as numbers.

Formula injection (CWE-1236): a cell text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
run as a formula by spreadsheets. Such texts get a leading apostrophe in the CSV; in the XLSX they are stored
as text cells, never as formulas. Numbers stay numbers, negative ones included.

Filenames are built by the caller from what the table is about (`kennzahlen-2025`), never from a person's
name; `_safe_filename` keeps only ASCII letters, digits, dots, dashes and underscores.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

CSV_DELIMITER = ";"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A text that is nothing but a number ("-12", "-3,5", "-3.5") is no formula and stays as it is.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31
_FILENAME_FORBIDDEN = re.compile(r"[^A-Za-z0-9._-]+")
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
# Control characters that the XLSX format cannot hold (openpyxl refuses them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Table:
    """A table of a page or report: what the CSV, the XLSX and the charts' data tables are made of."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]


def neutralise_formula(text: str) -> str:
    """The text as a spreadsheet shows it without running it: a leading apostrophe before a formula start."""
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_cell(value: object) -> str:
    """One value as it goes into the German CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _decimal_comma(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return neutralise_formula(str(value))


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(column)) for column in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    return _download(csv_bytes(table), content_type=CSV_CONTENT_TYPE, filename=filename, extension=".csv")


def xlsx_bytes(tables: Iterable[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    default_sheet = workbook.active
    used_names: set[str] = set()
    bold = Font(bold=True)
    count = 0
    for table in tables:
        count += 1
        sheet = workbook.create_sheet(title=sheet_name(table.title, used=used_names))
        sheet.append([_xlsx_text(str(column)) for column in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.data_type = "s"
        for row in table.rows:
            sheet.append([_xlsx_value(value) for value in row])
            for cell in sheet[sheet.max_row]:
                # openpyxl takes every text starting with "=" for a formula; these are texts.
                if cell.data_type == "f":
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            widest = max([len(str(column)), *(len(str(row[index - 1] or "")) for row in table.rows)], default=8)
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(60, widest + 2)
    if count and default_sheet is not None:
        workbook.remove(default_sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(tables: Iterable[Table], *, filename: str) -> HttpResponse:
    return _download(xlsx_bytes(tables), content_type=XLSX_CONTENT_TYPE, filename=filename, extension=".xlsx")


def sheet_name(title: str, *, used: set[str]) -> str:
    """A sheet name Excel accepts: without []:*?/\\, at most 31 characters, not empty, unique in the workbook."""
    name = " ".join(_SHEET_NAME_FORBIDDEN.sub(" ", _XLSX_ILLEGAL.sub("", title)).split()).strip("'").strip()
    name = name[:_SHEET_NAME_MAX].rstrip() or "Tabelle"
    if name.lower() == "history":  # reserved by Excel
        name = "History 1"
    candidate = name
    number = 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = name[: _SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def safe_filename(filename: str, *, extension: str) -> str:
    stem = filename.removesuffix(extension).translate(_TRANSLITERATION)
    stem = _FILENAME_FORBIDDEN.sub("-", stem).strip("-.") or "export"
    return stem[:100] + extension


def file_response(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A prepared file (CSV, XLSX, PDF) as a download, with the same headers as every export."""
    extension = "." + filename.rsplit(".", 1)[1] if "." in filename else ""
    return _download(content, content_type=content_type, filename=filename, extension=extension)


def _download(content: bytes, *, content_type: str, filename: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename, extension=extension)}"'
    # Figures of a centre do not belong in shared caches or the browser's history.
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _decimal_comma(value: float | Decimal) -> str:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""  # no figure
        value = Decimal(repr(value))
    text = format(value, "f")
    return text.removesuffix(".0").replace(".", ",")


def _xlsx_text(text: str) -> str:
    return _XLSX_ILLEGAL.sub("", text)


def _xlsx_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date | datetime.datetime):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return timezone.localtime(value).replace(tzinfo=None)  # XLSX has no time zones
        if isinstance(value, float) and value != value:
            return None
        return value
    return _xlsx_text(str(value))
