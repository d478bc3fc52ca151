"""Bulk import of 100,000 persons: our import (check + commit, as the jobs run it) against django-import-export.

Run with `make bench-import`. Uses its own database `ankommen_bench_import` on the embedded PostgreSQL (created and
migrated with the reference data on the first run, reused afterwards). Each round empties the persons (and their
history), then imports the same generated file of BENCH_IMPORT_ROWS valid persons (default 100,000) into one
centre:

- ours: `import_upload` (the file encrypted at rest), `import_check` (the dry run of the preview) and
  `import_commit` (every row checked again with the person form's fields and Person.clean()'s rules, written in
  batches with COPY into a temporary table and INSERT ... SELECT, in one transaction, history by pghistory's
  triggers): the commit's rows/s is the figure;
- the baseline: django-import-export's `ModelResource.import_data` of the same file, same natural key
  (given names, family name, date of birth), `clean_model_instances` (full_clean per row, the same model rules),
  `use_bulk` with the same batch size, in one transaction, the same triggers.

Prints the median rows/s of each over BENCH_ROUNDS rounds (default 3) and the ratio; target: ≥ 10,000 rows/s.
The figures are also written to var/bench-import.json; the exit status is 1 when the target is missed.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import random
import re
import statistics
import sys
import time
from typing import Any

from benchmark_django import BASE_DIR, setup_django

BENCH_DATABASE = "ankommen_bench_import"
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
BASELINE_ROWS = int(os.environ.get("BENCH_IMPORT_BASELINE_ROWS", str(ROWS)))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGET_ROWS_PER_SECOND = 10_000
CENTRE_SLUG = "koeln"
COLUMNS = [
    "given_names",
    "family_name",
    "birth_date",
    "gender",
    "nationalities",
    "languages",
    "arrived_in_germany",
    "residence_status",
    "street",
    "postcode",
    "place",
    "phone",
]
GIVEN = ["Olena", "Ahmad", "Mariam", "Yonas", "Ayşe", "Oleksandr", "Fatima", "Mamadou", "Giorgi", "Amina", "Омар"]
FAMILY = ["Kovalenko", "Rahimi", "Haddad", "Tesfay", "Yılmaz", "Shevchenko", "Diallo", "Beridze", "Popescu", "Ахмед"]
ORIGINS = [("UA", "uk"), ("AF", "prs"), ("SY", "ar"), ("ER", "ti"), ("TR", "tr"), ("GN", "fr"), ("GE", "ka")]
STATUSES = ["asylum_procedure", "refugee", "temporary_protection", "tolerated", "unknown"]


def person_rows(count: int, postcodes: list[tuple[str, str]]) -> bytes:
    """`count` distinct valid persons, the same on every run; CSV with the field names as column titles."""
    chooser = random.Random(8)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    for number in range(count):
        nationality, language = chooser.choice(ORIGINS)
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=chooser.randrange(27_000))
        arrival = birth + datetime.timedelta(days=chooser.randrange((datetime.date(2025, 1, 1) - birth).days))
        postcode, place = chooser.choice(postcodes)
        writer.writerow(
            [
                chooser.choice(GIVEN),
                f"{chooser.choice(FAMILY)}-{number}",
                birth.isoformat(),
                chooser.choice(["female", "male", "diverse"]),
                nationality,
                f"{language},de",
                arrival.isoformat(),
                chooser.choice(STATUSES),
                f"Hauptstraße {number % 200 + 1}",
                postcode,
                place,
                f"0221 {number:07d}",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def empty_persons() -> None:
    from django.db import connection

    from ankommen.core.row_level_security import dangerously_as_table_owner

    # TRUNCATE is the tables' owner's (the application role may not, docs/rls.md).
    with dangerously_as_table_owner(), connection.cursor() as cursor:
        # A database of the benchmark only: TRUNCATE leaves the append-only history triggers out of it.
        cursor.execute("TRUNCATE people_person, people_personevent CASCADE")
        cursor.execute("DELETE FROM imports_importrun")


def ours(content: bytes, centre: Any, user: Any) -> tuple[float, float]:
    """Seconds of the check (preview) and of the commit."""
    from ankommen.imports import services
    from ankommen.imports.models import ImportKind, ImportStatus

    run = services.import_upload(centre=centre, by=user, kind=ImportKind.PERSONS, content=content, language="de")
    started = time.perf_counter()
    checked = services.import_check(run_id=str(run.pk))
    check_seconds = time.perf_counter() - started
    if checked is None or checked.status != ImportStatus.READY:
        raise RuntimeError(f"the check refused the file: {checked and checked.errors[:3]}")
    services.import_commit_request(run=checked, by=user)
    started = time.perf_counter()
    committed = services.import_commit(run_id=str(run.pk))
    commit_seconds = time.perf_counter() - started
    if committed is None or committed.status != ImportStatus.COMMITTED:
        raise RuntimeError(f"the commit failed: {committed and committed.errors[:3]}")
    return check_seconds, commit_seconds


def baseline_resource(centre: Any) -> Any:
    from import_export import resources, widgets

    from ankommen.people.models import Person
    from ankommen.people.search import search_text_for

    class ArrayWidget(widgets.Widget):
        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
            return [code for code in str(value or "").split(",") if code]

    class PersonResource(resources.ModelResource):
        nationalities = resources.Field(attribute="nationalities", column_name="nationalities", widget=ArrayWidget())
        languages = resources.Field(attribute="languages", column_name="languages", widget=ArrayWidget())

        class Meta:
            model = Person
            fields = COLUMNS
            import_id_fields = ["given_names", "family_name", "birth_date"]
            clean_model_instances = True
            skip_unchanged = True
            use_bulk = True
            batch_size = 2000

        def get_queryset(self) -> Any:
            return Person.objects.for_centre(centre)

        def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            instance.centre = centre
            instance.search_text = search_text_for(instance.given_names, instance.family_name, "", "")

        def import_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            super().import_instance(instance, row, **kwargs)
            instance.centre = centre  # full_clean needs the centre before the save

    return PersonResource()


def baseline(content: bytes, centre: Any, user: Any) -> float:
    import pghistory
    import tablib

    dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv", delimiter=";")
    resource = baseline_resource(centre)
    started = time.perf_counter()
    with pghistory.context(user=user.pk):
        result = resource.import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError("django-import-export refused the file")
    return seconds


def main() -> int:
    setup_django(BENCH_DATABASE)
    from django.core.management import call_command

    from ankommen.accounts.models import Membership, Role, User
    from ankommen.people.models import Person
    from ankommen.regions.models import Centre, Postcode

    call_command("migrate", verbosity=0, interactive=False)
    if not Centre.objects.exists():
        call_command("load_reference_data", verbosity=0)
    centre = Centre.objects.get(slug=CENTRE_SLUG)
    user, _created = User.objects.get_or_create(email="bench-import@example.org")
    Membership.objects.get_or_create(user=user, role=Role.CENTRE_STAFF, centre=centre)
    postcodes = [
        (code, re.split(r"[,;|/]", places)[0].strip()[:100])
        for code, places in Postcode.objects.filter(code__startswith="50").values_list("code", "places")[:40]
    ]
    content = person_rows(ROWS, postcodes)
    baseline_content = content if BASELINE_ROWS == ROWS else person_rows(BASELINE_ROWS, postcodes)
    print(f"Import of {ROWS:,} persons ({len(content) / 2**20:.1f} MB CSV), {ROUNDS} rounds", flush=True)

    checks, commits, baselines = [], [], []
    for round_number in range(1, ROUNDS + 1):
        empty_persons()
        check_seconds, commit_seconds = ours(content, centre, user)
        assert Person.objects.for_centre(centre).count() == ROWS
        checks.append(ROWS / check_seconds)
        commits.append(ROWS / commit_seconds)
        print(
            f"round {round_number}: ours check {checks[-1]:,.0f} rows/s, commit {commits[-1]:,.0f} rows/s", flush=True
        )
        empty_persons()
        baseline_seconds = baseline(baseline_content, centre, user)
        assert Person.objects.for_centre(centre).count() == BASELINE_ROWS
        baselines.append(BASELINE_ROWS / baseline_seconds)
        print(f"round {round_number}: django-import-export {baselines[-1]:,.0f} rows/s", flush=True)
    empty_persons()

    figures = {
        "rows": ROWS,
        "baseline_rows": BASELINE_ROWS,
        "rounds": ROUNDS,
        "ours_check_rows_per_second_median": statistics.median(checks),
        "ours_commit_rows_per_second_median": statistics.median(commits),
        "django_import_export_rows_per_second_median": statistics.median(baselines),
    }
    figures["ratio_commit_to_baseline"] = (
        figures["ours_commit_rows_per_second_median"] / figures["django_import_export_rows_per_second_median"]
    )
    print(f"ours, check (preview):      median {figures['ours_check_rows_per_second_median']:>10,.0f} rows/s")
    print(f"ours, commit:               median {figures['ours_commit_rows_per_second_median']:>10,.0f} rows/s")
    print(f"django-import-export:       median {figures['django_import_export_rows_per_second_median']:>10,.0f} rows/s")
    print(f"ratio ours/baseline (commit): {figures['ratio_commit_to_baseline']:.1f}x")
    met = figures["ours_commit_rows_per_second_median"] >= TARGET_ROWS_PER_SECOND
    print(f"target ≥ {TARGET_ROWS_PER_SECOND:,} rows/s: {'met' if met else 'MISSED'}")
    (BASE_DIR / "var").mkdir(exist_ok=True)
    (BASE_DIR / "var" / "bench-import.json").write_text(json.dumps(figures, indent=2))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
