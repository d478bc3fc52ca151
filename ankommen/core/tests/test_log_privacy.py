"""The log filter on its own; tests/test_personal_data_in_logs.py proves it on every page, the API and a job."""

from __future__ import annotations

import logging
import sys

import pytest
from django.template.base import Variable, VariableDoesNotExist

from ankommen.core.log_privacy import LEFT_OUT, PersonalDataErrorFilter


class NamedPerson:
    def __repr__(self) -> str:
        return "<Person: Olena Kovalenko>"


def _logged(error_raiser) -> str:
    try:
        error_raiser()
    except Exception:
        record = logging.LogRecord("django.template", logging.DEBUG, __file__, 1, "lookup failed", (), sys.exc_info())
    else:
        raise AssertionError("nothing was raised")
    assert PersonalDataErrorFilter().filter(record)
    return logging.Formatter("{levelname} {name} {message}", style="{").format(record)


def test_a_template_lookup_is_logged_without_the_repr_of_what_it_looked_in():
    with pytest.raises(VariableDoesNotExist, match="Kovalenko"):
        Variable("person.nickname").resolve({"person": NamedPerson()})

    logged = _logged(lambda: Variable("person.nickname").resolve({"person": NamedPerson()}))

    assert "Kovalenko" not in logged
    assert f"django.template.base.VariableDoesNotExist: {LEFT_OUT}" in logged
    assert "in resolve\n" in logged  # the frames stay


def test_an_error_that_quotes_no_values_keeps_its_text():
    def fail() -> None:
        raise RuntimeError("the report template is missing")

    logged = _logged(fail)

    assert "RuntimeError: the report template is missing" in logged
    assert LEFT_OUT not in logged
