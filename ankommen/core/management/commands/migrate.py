"""`migrate` as the tables' owner, also when the application works as the row-level-security role."""

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(DjangoMigrateCommand):
    def execute(self, *args: Any, **options: Any) -> Any:
        # The application role owns nothing and may create nothing: schema changes run as the connecting role,
        # which owns the tables (docs/rls.md). From the start, the system checks included: on a new server the
        # role does not exist before the first migration creates it.
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        role = connection.settings_dict["OPTIONS"].pop("assume_role", None)
        if role:
            connection.close()
        try:
            return super().execute(*args, **options)
        finally:
            if role:
                connection.settings_dict["OPTIONS"]["assume_role"] = role
                connection.close()
