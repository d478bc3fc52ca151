"""`make backup`: dump the database with its checksum and manifest into var/backups/ (docs/resilience.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ankommen.core import backups


class Command(BaseCommand):
    help = "Dump the whole database (pg_dump --format=custom) with a SHA-256 checksum and a manifest of every table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory", type=Path, default=settings.BASE_DIR / "var" / "backups", help="where the files go"
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            backup = backups.backup_create(directory=directory)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = backup.manifest()
        self.stdout.write(
            f"{backup.dump} ({backup.dump.stat().st_size / 1e6:.1f} MB, {len(manifest.tables)} tables, "
            f"{manifest.total_rows} rows, {backup.seconds:.1f} s)\n"
            f"{backup.checksum_file}\n{backup.manifest_file}"
        )
