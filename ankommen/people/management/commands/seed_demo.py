from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ankommen.core.modules import module_hooks
from ankommen.core.row_level_security import dangerously_all_centres
from ankommen.people.demo.loader import demo_data_load, persons_per_centre
from ankommen.people.demo.users import DemoPassword, centre_recorders, demo_users_ensure
from ankommen.people.models import Person
from ankommen.regions.models import Centre


class Command(BaseCommand):
    help = (
        "Loads deterministic demo data: families of today's arrivals in NRW for every centre, and demo users for "
        "every role. --size small for the demo, --size large (1,000,000 persons) for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2026, help="the same seed gives the same people")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when persons exist already")
        parser.add_argument("--per-centre", type=int, help="persons per centre instead of the size's number")
        parser.add_argument("--centres", help="comma-separated centre slugs (default: every centre)")
        parser.add_argument(
            "--people-only", action="store_true", help="only persons and users, not the modules' demo data"
        )

    def handle(
        self,
        *args: Any,
        size: str,
        seed: int,
        if_empty: bool,
        per_centre: int | None,
        centres: str | None,
        people_only: bool = False,
        **options: Any,
    ) -> None:
        # The operator's set-up command writes demo data for every centre at once: across centres by design, like
        # the state's aggregates (docs/rls.md). The persons' COPY runs as the tables' owner (people/demo/loader.py).
        with dangerously_all_centres():
            self._seed(
                size=size,
                seed=seed,
                if_empty=if_empty,
                per_centre=per_centre,
                centres=centres,
                people_only=people_only,
                verbosity=options["verbosity"],
            )

    def _seed(
        self,
        *,
        size: str,
        seed: int,
        if_empty: bool,
        per_centre: int | None,
        centres: str | None,
        people_only: bool,
        verbosity: int,
    ) -> None:
        started = time.perf_counter()
        # Counting across centres is the one thing this check must do.
        existing = Person.objects.dangerously_unscoped().count()
        if if_empty and existing:
            self.stdout.write(f"Demo data not loaded: {existing} persons exist already.")
            return
        if existing:
            raise CommandError(
                f"{existing} persons exist already. Seed an empty database (or pass --if-empty to skip)."
            )
        selected = list(Centre.objects.order_by("slug"))
        if centres:
            slugs = [slug.strip() for slug in centres.split(",") if slug.strip()]
            selected = [centre for centre in selected if centre.slug in slugs]
            if missing := set(slugs) - {centre.slug for centre in selected}:
                raise CommandError(f"Unknown centres: {', '.join(sorted(missing))}.")
        if not selected:
            raise CommandError("No centres found. Load the reference data first: manage.py load_reference_data")
        if per_centre is not None and per_centre < 1:
            raise CommandError("--per-centre must be at least 1.")

        password = DemoPassword()
        memberships = demo_users_ensure(centres=selected, password=password)
        recorders = centre_recorders(selected)
        counts = persons_per_centre(selected, large=size == "large", per_centre=per_centre)
        summary = demo_data_load(
            centres=selected,
            persons=counts,
            recorders=recorders,
            seed=seed,
            bulk=size == "large",
            progress=(lambda line: self.stdout.write(line)) if verbosity > 1 else None,
        )
        module_lines = [
            seed_module(centres=selected, seed=seed, size=size, log=self.stdout.write)
            for seed_module in ([] if people_only else module_hooks("demo", "seed_demo"))
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {time.perf_counter() - started:.1f} s: {summary.centres} centres, "
                f"{summary.families} families, {summary.persons} persons, {summary.guardian_relations} guardian "
                f"relations, {summary.consents} consents; {len(memberships)} demo memberships "
                f"(persons written in {summary.seconds:.1f} s)."
            )
        )
        for line in module_lines:
            self.stdout.write(self.style.SUCCESS(line))
