"""The machinery every import shares: header to fields, one check per row, counts, errors, writes in batches.

An `Importer` knows one kind of record: its columns (the fields of the app's own form, so the rules stay in one
place), how a row is checked against the centre's records (new, changed or unchanged: a natural key decides
which record a row is), and how a batch is written through the app's services. `run_import` drives it over a
table; with `write=True` it writes batch after batch and the caller's transaction makes it all or nothing.
"""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from ankommen.imports.models import ImportKind
from ankommen.imports.parsing import Table

BATCH_SIZE = 2000
# The errors kept for the preview; the count says how many there were in all.
MAX_ERRORS = 500
# The languages whose column titles a header may use, besides the field names.
HEADER_LANGUAGES = ("de", "en")


class RowOutcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Column:
    name: str
    label: Any  # lazy: shown in the language of the moment
    required: bool = False


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the file as a whole
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


# A row's field errors: {field name or "__all__": [messages]}.
FieldErrors = dict[str, list[str]]


class Importer(ABC):
    kind: ImportKind

    @abstractmethod
    def columns(self) -> list[Column]: ...

    @abstractmethod
    def begin(self, fields: list[str]) -> None:
        """Read once what the checks of every row compare against (existing keys, reference data)."""

    @abstractmethod
    def check(self, values: dict[str, str]) -> tuple[RowOutcome, Any] | FieldErrors:
        """The row's outcome and the record to write, or its errors."""

    @abstractmethod
    def write(self, *, new: list[Any], changed: list[Any]) -> None: ...


@dataclass
class Summary:
    rows_total: int = 0
    rows_done: int = 0
    counts: dict[RowOutcome, int] = field(default_factory=lambda: dict.fromkeys(RowOutcome, 0))
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    def refuse(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))


def fold_header(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _header_aliases(columns: list[Column]) -> dict[str, str]:
    aliases = {}
    for language in HEADER_LANGUAGES:
        with translation.override(language):
            aliases.update({fold_header(str(column.label)): column.name for column in columns})
    aliases.update({fold_header(column.name): column.name for column in columns})
    return aliases


def header_fields(columns: list[Column], header: list[str], summary: Summary) -> dict[int, str]:
    """Column position → field name; what is wrong with the header goes into the summary as errors of row 1."""
    aliases = _header_aliases(columns)
    positions: dict[int, str] = {}
    for position, title in enumerate(header):
        if not title.strip():
            continue
        name = aliases.get(fold_header(title))
        if name is None:
            summary.refuse(1, title, _("This column is unknown. Use the column titles of the template."))
        elif name in positions.values():
            summary.refuse(1, title, _("This column appears twice."))
        else:
            positions[position] = name
    labels = {column.name: str(column.label) for column in columns}
    for column in columns:
        if column.required and column.name not in positions.values():
            summary.refuse(1, labels[column.name], _("This column is missing."))
    return positions


def run_import(
    importer: Importer,
    table: Table,
    *,
    write: bool,
    progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Check every row; with `write`, write them in batches while no error was found. Errors never stop the check."""
    columns = importer.columns()
    labels = {column.name: str(column.label) for column in columns}
    summary = Summary(rows_total=table.row_count)
    positions = header_fields(columns, table.header, summary)
    if summary.error_count:
        return summary
    importer.begin(list(positions.values()))
    new: list[Any] = []
    changed: list[Any] = []
    for number, cells in table.rows:
        values = {
            name: cells[position].strip() if position < len(cells) else "" for position, name in positions.items()
        }
        checked = importer.check(values)
        if isinstance(checked, dict):
            for name, messages in checked.items():
                for message in messages:
                    summary.refuse(number, labels.get(name, ""), message)
        else:
            outcome, record = checked
            summary.counts[outcome] += 1
            if outcome is RowOutcome.NEW:
                new.append(record)
            elif outcome is RowOutcome.CHANGED:
                changed.append(record)
        summary.rows_done += 1
        if summary.rows_done % BATCH_SIZE == 0:
            new, changed = _flush(importer, new, changed, write=write and not summary.error_count)
            if progress is not None:
                progress(summary)
    _flush(importer, new, changed, write=write and not summary.error_count)
    summary.rows_total = summary.rows_done
    if summary.rows_done == 0 and not summary.error_count:
        summary.refuse(0, "", _("The file has no rows below the column titles."))
    return summary


def _flush(importer: Importer, new: list[Any], changed: list[Any], *, write: bool) -> tuple[list[Any], list[Any]]:
    if write and (new or changed):
        importer.write(new=new, changed=changed)
    return [], []
