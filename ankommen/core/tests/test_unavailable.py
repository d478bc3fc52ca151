"""handler500 tells a lost database connection (503, try again) from any other error (500)."""

import json
import logging
import sys

import pytest
from django.db import InterfaceError, OperationalError
from django.utils import translation

from ankommen.core.unavailable import DatabaseErrorTracebackFilter, server_error


def _answer(rf, path, error):
    try:
        raise error
    except Exception:  # handler500 is called inside the except block of the failed request
        with translation.override("de"):
            return server_error(rf.get(path))


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_a_lost_connection_outside_a_view_answers_the_503_page(rf, error):
    response = _answer(rf, "/personen/", error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Vorübergehend nicht verfügbar" in response.content.decode()
    assert "nicht gespeichert" in response.content.decode()


def test_a_lost_connection_under_the_api_answers_json_in_the_api_error_format(rf):
    response = _answer(rf, "/api/v1/people/", OperationalError("terminating connection"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = json.loads(response.content)
    assert set(body) == {"detail", "errors"}
    assert "nichts gespeichert" in body["detail"]


def test_any_other_error_stays_the_500_page(rf):
    response = _answer(rf, "/personen/", ValueError("a bug"))
    assert response.status_code == 500
    assert "Retry-After" not in response


def _record(error):
    try:
        raise error
    except Exception:
        exc_info = sys.exc_info()
    return logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Service Unavailable: /x/", (), exc_info)


def test_the_log_keeps_no_traceback_of_a_lost_connection_which_may_quote_the_statement():
    record = _record(OperationalError("LINE 1: SELECT 1 WHERE family_name = 'Kovalenko'"))
    assert DatabaseErrorTracebackFilter().filter(record)
    assert record.exc_info is None
    assert "Kovalenko" not in record.getMessage()
    assert "OperationalError" in record.getMessage()


def test_the_log_keeps_the_traceback_of_other_errors():
    record = _record(ValueError("a bug"))
    assert DatabaseErrorTracebackFilter().filter(record)
    assert record.exc_info is not None
