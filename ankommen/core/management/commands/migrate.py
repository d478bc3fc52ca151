"""`migrate` as the tables' owner, also when the application works as the row-level-security role."""

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connections


class Command(DjangoMigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        # The application role owns nothing and may create nothing: schema changes run as the connecting role,
        # which owns the tables (docs/rls.md).
        connection = connections[options["database"]]
        role = connection.settings_dict["OPTIONS"].pop("assume_role", None)
        if role:
            connection.close()
        try:
            super().handle(*args, **options)
        finally:
            if role:
                connection.settings_dict["OPTIONS"]["assume_role"] = role
                connection.close()
