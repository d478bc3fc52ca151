"""A lost database connection answers 503 "try again shortly" instead of 500 "something is broken".

The database goes away for seconds at a time (a restart, a failover, a backend terminated by an administrator). The
request's transaction is rolled back by PostgreSQL, so nothing was saved halfway; Django drops the broken connection
when the request ends (`close_if_unusable_or_obsolete`) and the next request opens a new one (`CONN_HEALTH_CHECKS`),
so the web process itself needs no restart. What is left to do here is to tell the user the truth: their entry was
not saved, and trying again in a moment will work.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger("ankommen.unavailable")

# OperationalError: the server ended the connection or is starting up or shutting down (also lock and statement
# timeouts, deadlocks: all worth one more try). InterfaceError: the connection was already closed.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# What a client is told to wait before it tries again: a restart of PostgreSQL takes a few seconds.
RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def is_database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_UNAVAILABLE)


def log_unavailable(request: HttpRequest, error: BaseException) -> None:
    # The method, the path (ids only: nothing personal goes into URLs) and the kind of error. Not the error's text:
    # PostgreSQL may quote values of the statement in it.
    logger.warning("database unavailable, answered 503: %s %s (%s)", request.method, request.path, type(error).__name__)


def api_detail() -> str:
    return _("The service is temporarily unavailable. Nothing was saved. Please try again shortly.")


def api_unavailable_response(request: HttpRequest) -> JsonResponse:
    """The API's error format (`ankommen/api/errors.py`): {"detail": …, "errors": {}}."""
    response = JsonResponse({"detail": api_detail(), "errors": {}}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def page_unavailable_response(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: the context processors would ask the database that just went away.
    content = loader.get_template("503.html").render({"database_unavailable": True})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return api_unavailable_response(request)
    return page_unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: Django calls it inside the `except` block of the failed request, so the error is at hand."""
    error = sys.exc_info()[1]
    if error is not None and is_database_unavailable(error):
        log_unavailable(request, error)
        return unavailable_response(request)
    return defaults.server_error(request)


class DatabaseErrorTracebackFilter(logging.Filter):
    """Leaves the traceback out of log records of a lost database connection.

    PostgreSQL's message quotes the statement it was running (`LINE 1: SELECT … WHERE family_name = '…'`), and
    Django binds parameters on the client, so the quote may hold personal data. The record keeps its message (the
    path, the status) and names the kind of error; the cause is always the same and needs no traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and is_database_unavailable(error):
            record.msg = f"{record.msg} [{type(error).__name__}, traceback left out: it may quote the statement]"
            record.exc_info = None
            record.exc_text = None
        return True
