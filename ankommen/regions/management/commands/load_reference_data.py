from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ankommen.regions.loaders import REFERENCE_DIRECTORY, reference_data_load


class Command(BaseCommand):
    help = "Loads the districts, municipalities, centres, schools, postcodes and occupations of data/reference/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, default=REFERENCE_DIRECTORY)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        started = time.perf_counter()
        counts = reference_data_load(directory=directory)
        for name, (total, created) in counts.items():
            self.stdout.write(f"{name}: {total} ({created} new)")
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded in {time.perf_counter() - started:.1f} s."))
