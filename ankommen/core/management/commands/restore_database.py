"""`make restore BACKUP=…`: restore a backup into a fresh database and verify it table by table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ankommen.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup of `make backup` into a database (the application's by default), after checking its "
        "checksum, then compare every table's row count and checksum with the backup's manifest. A database that "
        "holds tables is replaced only with --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the .dump file")
        parser.add_argument("--database", default="", help="the database to restore into (default: the application's)")
        parser.add_argument(
            "--replace", action="store_true", help="drop and recreate the database even if it holds tables"
        )

    def handle(self, *args: Any, backup: Path, database: str, replace: bool, **options: Any) -> None:
        server = backups.Server.of_application()
        try:
            restored = backups.restore(
                backup=backups.Backup(dump=backup), database=database or server.database, server=server, replace=replace
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if restored.differences:
            differences = "\n".join(restored.differences)
            raise CommandError(f"Restored into {restored.database}, but it differs from the backup:\n{differences}")
        self.stdout.write(
            f"Restored into {restored.database}: {restored.tables} tables, {restored.rows} rows, row counts and "
            f"checksums of every table and every sequence equal to the backup's ({restored.seconds:.1f} s)."
        )
