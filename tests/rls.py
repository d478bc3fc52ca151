"""Row-level security in tests: run a block as a fresh request or job does (docs/rls.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test import override_settings

from ankommen.core.row_level_security import app_role, centre_scope


@contextmanager
def as_app_role() -> Iterator[None]:
    """The test's connection as the application's with ANKOMMEN_ROW_LEVEL_SECURITY on."""
    with override_settings(ROW_LEVEL_SECURITY=True):
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {connection.ops.quote_name(app_role())}")
        try:
            # Without a centre, also where the test suite runs as the role and its set-up sees every centre.
            with centre_scope(None):
                yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")
