"""Nothing personal in the logs: the text of errors that may quote values is left out of every log record.

PostgreSQL quotes values in its errors (`DETAIL: Failing row contains (…, 'Olena', 'Kovalenko', …)`, `Key (…)=(…)`,
`LINE 1: … WHERE family_name = '…'`: Django binds parameters on the client, so the statement holds them), a
validation error may name the value it refused, and `django.template` logs (at DEBUG) each variable that does not
resolve with the `repr` of what it was looked up in: a person, or the whole context with every person of the page
(`Failed lookup for key [x] in <Person: Olena Kovalenko>`). Such a record keeps its message (path, status) and the
traceback's frames, which is what an operator needs to find the fault; each error of the chain is named by its type
only.
"""

from __future__ import annotations

import logging
import traceback

import psycopg
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.template.base import VariableDoesNotExist

QUOTING_ERRORS: tuple[type[BaseException], ...] = (DatabaseError, ValidationError, psycopg.Error, VariableDoesNotExist)
LEFT_OUT = "[text left out: it may quote personal data]"


def _chain(error: BaseException) -> list[BaseException]:
    """The error and its causes, oldest first, as Python prints them."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return list(reversed(chain))


def redacted_traceback(error: BaseException) -> str:
    parts = []
    for position, link in enumerate(_chain(error)):
        if position:
            parts.append(
                "\nThe above exception was the direct cause of (or occurred while handling) the following:\n\n"
            )
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        name = f"{type(link).__module__}.{type(link).__qualname__}"
        parts.append(f"{name}: {LEFT_OUT}\n" if isinstance(link, QUOTING_ERRORS) else f"{name}: {link}\n")
    return "".join(parts).rstrip("\n")


class PersonalDataErrorFilter(logging.Filter):
    """On the handlers (`settings.LOGGING`): replaces the traceback of a record whose error may quote values."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and any(isinstance(link, QUOTING_ERRORS) for link in _chain(error)):
            record.exc_text = redacted_traceback(error)
            # The formatters print exc_text; without exc_info no handler formats the original text again.
            record.exc_info = None
        return True
