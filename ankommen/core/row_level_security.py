"""Row-level security: PostgreSQL's own barrier behind the application's scoping (docs/rls.md).

Every table whose rows belong to a centre gets a policy for the application role: a row is visible and
writable only while the transaction's setting `ankommen.centre_id` names its centre, or while
`ankommen.scope` is `all` (state-wide aggregates, retention, the jobs that walk every centre). Without a
setting the application role sees nothing. The tables are listed from the models, so a new model with a
centre key is covered by the next `migrate`, and a test fails on one that is neither covered nor excluded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import TransactionManagementError

CENTRE_SETTING = "ankommen.centre_id"
SCOPE_SETTING = "ankommen.scope"
ALL_CENTRES = "all"
POLICY_NAME = "centre_isolation"

# Tables with a centre key that are not a centre's data, and why.
NOT_CENTRE_OWNED = {
    "regions.Municipality": "public reference data: which centre serves a municipality",
    "accounts.Membership": "a user's own roles, read by the user's id before the centre of the request is known",
}


@dataclass(frozen=True)
class CentreOwnedTable:
    label: str
    table: str
    column: str
    # A row without a centre (an access by a state user, a state-wide export) is no centre's data.
    centre_optional: bool


def app_role() -> str:
    return str(settings.DATABASE_APP_ROLE)


def centre_owned_tables() -> list[CentreOwnedTable]:
    """Every concrete table with a foreign key to the centre, history tables of pghistory included."""
    from ankommen.regions.models import Centre

    tables = []
    for model in apps.get_models():
        if model._meta.label in NOT_CENTRE_OWNED or not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Centre:
                tables.append(CentreOwnedTable(model._meta.label, model._meta.db_table, str(field.column), field.null))
    return sorted(tables, key=lambda table: table.table)


def _visible(table: CentreOwnedTable) -> str:
    # Each setting in a scalar subquery: PostgreSQL reads it once per statement (an InitPlan) instead of once per
    # row, and compares the column with a value, as with the application's own `centre_id = …`.
    column = f'"{table.column}"'
    condition = (
        f"(SELECT current_setting('{SCOPE_SETTING}', true)) = '{ALL_CENTRES}'"
        f" OR {column} = (SELECT nullif(current_setting('{CENTRE_SETTING}', true), '')::bigint)"
    )
    if table.centre_optional:
        condition = f"{column} IS NULL OR {condition}"
    return condition


def create_app_role(connection: BaseDatabaseWrapper) -> None:
    """The role the application works as: no login, owns nothing, may become only what it is granted."""
    role = connection.ops.quote_name(app_role())
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role()])
        if cursor.fetchone() is None:
            # Roles belong to the server: parallel test databases on one server may race to create it. The loser of
            # the race gets `unique_violation` (the catalogue's index), a later caller `duplicate_object`.
            cursor.execute(
                f"DO $$ BEGIN CREATE ROLE {role} NOLOGIN;"
                " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            # The owner switches to the role per connection (SET ROLE), which needs membership.
            cursor.execute(f"GRANT {role} TO CURRENT_USER")


def apply_policies(connection: BaseDatabaseWrapper, *, renew: bool = False) -> list[str]:
    """Grant the role its rights and put the policy on every centre-owned table that exists; idempotent.

    A table that has the policy keeps it, unless `renew` (a migration that changes the condition) makes it anew."""
    role = connection.ops.quote_name(app_role())
    existing = set(connection.introspection.table_names())
    changed = []
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, p.qual FROM pg_class c"
            " LEFT JOIN pg_policies p ON p.tablename = c.relname AND p.schemaname = 'public' AND p.policyname = %s"
            " WHERE c.relnamespace = 'public'::regnamespace",
            [POLICY_NAME],
        )
        state = {name: (enabled, qual) for name, enabled, qual in cursor.fetchall()}
        for table in centre_owned_tables():
            if table.table not in existing:
                continue  # created by a later migration; the post_migrate run covers it
            enabled, qual = state.get(table.table, (False, None))
            if enabled and qual is not None and not renew:
                continue
            name = connection.ops.quote_name(table.table)
            condition = _visible(table)
            cursor.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {name}")
            cursor.execute(
                f"CREATE POLICY {POLICY_NAME} ON {name} TO {role} USING ({condition}) WITH CHECK ({condition})"
            )
            changed.append(table.table)
    return changed


def apply_after_migrate(using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    create_app_role(connection)
    apply_policies(connection)


def _set(connection: BaseDatabaseWrapper, centre_id: str, scope: str) -> tuple[str, str]:
    """Set both values for the connection (until changed again) and return the ones they replace."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(current_setting(%s, true), ''), coalesce(current_setting(%s, true), ''),"
            " set_config(%s, %s, false), set_config(%s, %s, false)",
            [CENTRE_SETTING, SCOPE_SETTING, CENTRE_SETTING, centre_id, SCOPE_SETTING, scope],
        )
        previous_centre, previous_scope, _, _ = cursor.fetchone()
    return previous_centre, previous_scope


@contextmanager
def _scope(centre_id: str, scope: str, using: str) -> Iterator[None]:
    if not settings.ROW_LEVEL_SECURITY:
        yield
        return
    connection = connections[using]
    previous = _set(connection, centre_id, scope)
    try:
        yield
    finally:
        # A connection that broke or a transaction that failed cannot take the reset; nothing is lost: a broken
        # connection is closed at the end of the request, a rolled-back transaction takes its settings with it.
        with suppress(DatabaseError, TransactionManagementError):
            _set(connection, *previous)


def centre_scope(centre_id: int | None, *, using: str = "default") -> AbstractContextManager[None]:
    """The database sees only this centre's rows (none for `None`) until the block ends."""
    return _scope("" if centre_id is None else str(int(centre_id)), "", using)


def switch_centre(centre_id: int | None, *, using: str = "default") -> None:
    """Change the centre inside a `centre_scope` (the API's token authentication runs inside the request's)."""
    if settings.ROW_LEVEL_SECURITY:
        _set(connections[using], "" if centre_id is None else str(int(centre_id)), "")


def dangerously_all_centres(*, using: str = "default") -> AbstractContextManager[None]:
    """The database sees every centre's rows until the block ends: aggregates and state-wide jobs only."""
    return _scope("", ALL_CENTRES, using)


@contextmanager
def dangerously_as_table_owner(*, using: str = "default") -> Iterator[None]:
    """The connection works as the tables' owner, whom no policy binds, until the block ends.

    For the operator's set-up commands that PostgreSQL allows only to the owner under row-level security (COPY into
    a table with a policy, DDL): `seed_demo`. Never for a request or a job.
    """
    if not settings.ROW_LEVEL_SECURITY:
        yield
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (role,) = cursor.fetchone()
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        with suppress(DatabaseError, TransactionManagementError), connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")
