"""The codebook of the evaluation extract: every column and variable, its categories, the suppression marker and the
pseudonymisation. One source for the page and the downloadable Markdown file, in the language of the request."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ankommen.reporting.evaluation import (
    ALL_CENTRES,
    COLUMNS,
    MAXIMUM_MONTHS,
    PSEUDONYM_LENGTH,
    TOTAL,
    VARIABLES,
    Category,
    linked_variables,
    suppression_threshold,
)


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


@dataclass(frozen=True)
class VariableEntry:
    name: str
    module: str
    meaning: str
    counted_in: str
    unit: str
    categories: list[Category]


@dataclass(frozen=True)
class Codebook:
    threshold: int
    columns: list[Column]
    variables: list[VariableEntry]
    pseudonymisation: str
    suppression: str


def codebook() -> Codebook:
    threshold = suppression_threshold()
    columns = [
        Column("month", _("Calendar month the counts refer to, as YYYY-MM.")),
        Column(
            "centre",
            _("Pseudonym of the integration centre (see pseudonymisation), or “%(all)s” for the sum of all centres.")
            % {"all": ALL_CENTRES},
        ),
        Column("variable", _("Name of the variable (see below).")),
        Column(
            "category",
            _("Code of the category (see below), or “%(total)s” for the sum over the categories.") % {"total": TOTAL},
        ),
        Column("count", _("Number of cases. Empty when the count is suppressed or withheld.")),
        Column(
            "suppressed",
            _(
                "1 when the count is suppressed (hidden; then it is at least 1), 2 when it is withheld with its whole "
                "table (it may be 0), else 0."
            ),
        ),
    ]
    assert [c.name for c in columns] == list(COLUMNS)
    variables = [
        VariableEntry(
            name=v.name,
            module=v.module,
            meaning=str(v.meaning),
            counted_in=str(v.counted_in),
            unit=str(v.unit),
            categories=[Category(c.code, str(c.label)) for c in v.categories()],
        )
        for v in VARIABLES
    ]
    pseudonymisation = _(
        "Centres are identified by “Z” followed by the first %(length)s hexadecimal digits of HMAC-SHA256 of the "
        "centre's short name under a secret key held by the operators. The same key gives the same pseudonym in "
        "every extract, so extracts can be linked over time; without the key the pseudonym cannot be computed. "
        "Rows are ordered by pseudonym. No names, addresses, dates of birth or identifiers of persons are part of "
        "the extract; every figure is a count."
    ) % {"length": PSEUDONYM_LENGTH}
    suppression = (
        _(
            "Each variable and month forms one table: centres × categories, with the centre totals, the totals of all "
            "centres per category and the grand total. Every count from 1 to %(below)s is suppressed (primary "
            "suppression). Further counts are suppressed (secondary suppression) until no suppressed count can be "
            "worked out from the counts and totals published with it: for every suppressed cell at least two values "
            "remain possible, checked exactly by linear programming. Zeros are published. Primary and secondary "
            "suppression share one marker (empty count, suppressed = 1), so the marker does not tell that a count is "
            "small. Suppression threshold k = %(k)s. An extract covers at most %(months)s months."
        )
        % {"below": threshold - 1, "k": threshold, "months": MAXIMUM_MONTHS}
        + " "
        + _(
            "Variables named like an indicator of the state dashboard (%(names)s) have the dashboard's figures as "
            "their centre totals and the grand total: these totals are shown and hidden exactly as on the dashboard, "
            "and the other cells are suppressed so that no count can be worked out from both together. Where that is "
            "impossible (a shown centre total of 3 split into three categories: each must be 1), the categories of "
            "that variable and month are withheld (suppressed = 2, zeros included) and only the totals are given."
        )
        % {"names": ", ".join(f"“{name}”" for name in linked_variables())}
    )
    return Codebook(
        threshold=threshold,
        columns=columns,
        variables=variables,
        pseudonymisation=pseudonymisation,
        suppression=suppression,
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codebook_markdown(book: Codebook) -> str:
    lines = [
        "# " + _("Codebook of the Ankommen evaluation extract"),
        "",
        "## " + _("Columns"),
        "",
        "| " + _("column") + " | " + _("meaning") + " |",
        "|---|---|",
        *(f"| `{c.name}` | {_cell(c.meaning)} |" for c in book.columns),
        "",
        "## " + _("Pseudonymisation"),
        "",
        book.pseudonymisation,
        "",
        "## " + _("Suppression"),
        "",
        book.suppression,
        "",
        "## " + _("Variables"),
    ]
    for variable in book.variables:
        lines += [
            "",
            f"### `{variable.name}`",
            "",
            f"- {_('Module')}: {variable.module}",
            f"- {_('Meaning')}: {_cell(variable.meaning)}",
            f"- {_('Counted in')}: {_cell(variable.counted_in)}",
            f"- {_('Unit')}: {_cell(variable.unit)}",
            "",
            "| " + _("category") + " | " + _("meaning") + " |",
            "|---|---|",
            *(f"| `{c.code}` | {_cell(str(c.label))} |" for c in variable.categories),
            f"| `{TOTAL}` | {_('sum over the categories')} |",
        ]
    return "\n".join(lines) + "\n"
