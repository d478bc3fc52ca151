"""The state dashboard on `seed_demo --size large`: median server time against the raw SQL aggregate.

Run with `make bench-dashboard`. Uses the benchmark database `ankommen_bench` on the embedded PostgreSQL (the same
one as `make bench-people`: created, migrated and seeded with `seed_demo --size large` on the first run, reused
afterwards) and makes sure the modules' demo data is in it (each module's `seed_demo` hook skips what it seeded
before). Then, in-process with Django's test client (server time only: no network, no browser), a logged-in state
analyst asks for the state dashboard (`GET /berichte/land/`: all 54 centres, twelve months, suppression, the
traffic lights, three trend charts and the map), taking turns with the raw SQL aggregate of the same figures
(`indicators.aggregate_statements`: the grouped statements the page runs, executed and fetched with nothing
around them). Prints medians and the ratio page/SQL, and the first (cold) page request. Targets: median <= 300 ms
and ratio <= 2. Exit status 1 when a target is missed; figures in `var/bench-dashboard.json`.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from benchmark_django import BASE_DIR, logged_in_client, setup_django

BENCH_DATABASE = "ankommen_bench"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
TARGET_MEDIAN_MS = 300.0
TARGET_RATIO = 2.0
ANALYST = "analyst@demo.ankommen.nrw"


def main() -> int:
    setup_django(BENCH_DATABASE)
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from ankommen.accounts.models import User
    from ankommen.core.modules import module_hooks
    from ankommen.people.models import Person
    from ankommen.regions.models import Centre
    from ankommen.reporting import charts, indicators
    from ankommen.reporting.views import dashboards

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo", size="large", if_empty=True)
    centres = list(Centre.objects.order_by("slug"))
    for seed_module in module_hooks("demo", "seed_demo"):
        # Each module seeds the centres it has not seeded yet: on a reused database this adds nothing.
        print(seed_module(centres=centres, seed=2026, size="large", log=lambda line: None))
    persons = Person.objects.dangerously_unscoped().count()
    print(f"Prepared in {time.perf_counter() - started:.0f} s: {persons} persons in {len(centres)} centres.")

    analyst = User.objects.get(email=ANALYST)
    client = logged_in_client(analyst)
    url = reverse("reporting:state_dashboard")
    today = timezone.localdate()
    statements = indicators.aggregate_statements(months=indicators.last_months(12, today=today), today=today)

    def page() -> float:
        begin = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - begin) * 1000
        if response.status_code != 200:
            raise SystemExit(f"The state dashboard answered {response.status_code}")
        return elapsed

    def raw_sql() -> float:
        begin = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, parameters in statements:
                cursor.execute(sql, parameters)
                cursor.fetchall()
        return (time.perf_counter() - begin) * 1000

    # The first request: nothing remembered yet (charts are cached by their data, suppressed columns by their counts,
    # the rendered body by the SQL rows and the rest it is made of).
    charts.clear_cache()
    indicators._suppressed_column.cache_clear()
    dashboards.clear_state_bodies()
    cold_ms = page()
    raw_sql()
    samples: dict[str, list[float]] = {"state dashboard": [], "raw SQL aggregate": [], "body rendered anew": []}
    for _round in range(ROUNDS):
        # Taking turns, so that caches and background load treat all alike.
        samples["state dashboard"].append(page())
        samples["raw SQL aggregate"].append(raw_sql())
        # What a request costs right after a figure changed: the body is rendered again (charts and suppressed
        # columns of unchanged months still come from memory, as they would).
        dashboards.clear_state_bodies()
        samples["body rendered anew"].append(page())
    medians = {name: statistics.median(values) for name, values in samples.items()}
    ratio = medians["state dashboard"] / medians["raw SQL aggregate"]
    size = f"{len(centres)} centres x 12 months x {len(indicators.INDICATORS)} indicators"
    print(f"\nState dashboard, {size}, {ROUNDS} rounds")
    print(f"{'target':<20} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'vs SQL':>7}")
    for name, values in samples.items():
        versus = medians[name] / medians["raw SQL aggregate"]
        print(f"{name:<20} {medians[name]:>10.1f} {min(values):>8.1f} {max(values):>8.1f} {versus:>6.2f}x")
    print(f"first request (cold caches): {cold_ms:.1f} ms")
    passed = medians["state dashboard"] <= TARGET_MEDIAN_MS and ratio <= TARGET_RATIO
    print(
        f"page/SQL: x{ratio:.2f} -> {'meets' if passed else 'MISSES'} the target "
        f"(median <= {TARGET_MEDIAN_MS:.0f} ms and ratio <= {TARGET_RATIO:.0f})"
    )
    output = BASE_DIR / "var" / "bench-dashboard.json"
    output.write_text(
        json.dumps(
            {
                "persons": persons,
                "rounds": ROUNDS,
                "median_ms": medians,
                "cold_page_ms": cold_ms,
                "ratio": ratio,
                "passed": passed,
            },
            indent=2,
        )
    )
    print(f"Figures written to {output.relative_to(BASE_DIR)}. Total {time.perf_counter() - started:.0f} s.")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
