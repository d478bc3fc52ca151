"""Reading an uploaded table: CSV as German Excel writes it (or as anyone else does) and XLSX, as rows of text.

Plain Python: every cell becomes a string (dates as ISO dates, whole numbers without ".0"), so that the
importers validate spreadsheet cells and CSV cells with the same form fields.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass

XLSX_SIGNATURE = b"PK\x03\x04"
# German Excel saves "CSV (Trennzeichen-getrennt)" in Windows-1252, newer versions in UTF-8 with a byte order mark.
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
CSV_DELIMITERS = (";", ",", "\t")


class UnreadableFile(ValueError):
    """The bytes are neither a CSV text nor an XLSX workbook."""


@dataclass
class Table:
    header: list[str]
    # Counted before the rows are read, for the progress shown while they are checked (an estimate for XLSX).
    row_count: int
    # (row number as the spreadsheet shows it, cells); empty rows are left out.
    rows: Iterator[tuple[int, list[str]]]


def is_xlsx(content: bytes) -> bool:
    return content.startswith(XLSX_SIGNATURE)


def read_table(content: bytes) -> Table:
    return _read_xlsx(content) if is_xlsx(content) else _read_csv(content)


def _decode(content: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("not a text file")  # pragma: no cover - cp1252 decodes nearly every byte


def _read_csv(content: bytes) -> Table:
    if b"\x00" in content[:4096]:
        raise UnreadableFile("binary content")
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)]
    except (StopIteration, csv.Error):
        raise UnreadableFile("no header row") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells

    return Table(header=header, row_count=max(0, text.count("\n", len(first_line) + 1)), rows=rows())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile("not an XLSX workbook") from None
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(value).strip() for value in next(cells)]
    except StopIteration:
        raise UnreadableFile("no header row") from None
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(cells, start=2):
            texts = [_cell_text(value) for value in values]
            if any(text.strip() for text in texts):
                yield number, texts
        workbook.close()

    return Table(header=header, row_count=max(0, (sheet.max_row or 1) - 1), rows=rows())
