"""50 concurrent users on gunicorn over `seed_demo --size large`: p95 and error rate, against the Django admin.

Run with `make bench-load`. Uses the benchmark database `ankommen_bench` of `make bench-dashboard` (created, migrated
and seeded with `seed_demo --size large` plus each module's demo data on the first run, reused afterwards). Collects
the static files as production does, then starts gunicorn with 4 sync workers (README: production) on production
settings over plain HTTP on 127.0.0.1, and runs locust headless (`benchmarks/load_users.py`) twice in a row:

1. **platform**: 50 users, each the centre lead of Köln (the largest demo centre) thinking 1-2 s between requests:
   the main pages (start, person list, intake list, volunteers, dashboard), a person's page (its read is logged), and
   the API (person list, a person, intakes) with a token;
2. **baseline**: 50 users paging through the Django admin's person changelist (a superuser), same think time.

Prints per phase: requests, error rate, median and p95; and the ratio p95 platform / p95 admin. Targets: p95 <= 200 ms
and 0 errors in the platform phase. Exit status 1 when a target is missed; figures in `var/bench-load.json`.
`BENCH_LOAD_SECONDS` (default 60) sets each phase's length, `BENCH_LOAD_USERS` (default 50) the users.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import time

from benchmark_django import BASE_DIR, logged_in_client, setup_django

BENCH_DATABASE = "ankommen_bench"
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
WARM_UP_SECONDS = int(os.environ.get("BENCH_LOAD_WARM_UP_SECONDS", "30"))
WORKERS = 4
TARGET_P95_MS = 200.0
LEAD = "lead.koeln@demo.ankommen.nrw"
OPERATOR = "bench-operator@ankommen.invalid"
VAR = BASE_DIR / "var"


def prepare() -> dict[str, object]:
    """The seeded database, and what the users need: sessions, a token, the paths."""
    from django.core.management import call_command
    from django.urls import reverse

    from ankommen.accounts.models import Membership, User
    from ankommen.accounts.services import api_token_create
    from ankommen.core.modules import module_hooks
    from ankommen.people.models import Person
    from ankommen.regions.models import Centre

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo", size="large", if_empty=True)
    centres = list(Centre.objects.order_by("slug"))
    for seed_module in module_hooks("demo", "seed_demo"):
        seed_module(centres=centres, seed=2026, size="large", log=lambda line: None)
    persons = Person.objects.dangerously_unscoped().count()
    print(f"Prepared in {time.perf_counter() - started:.0f} s: {persons} persons in {len(centres)} centres.")

    lead = User.objects.get(email=LEAD)
    membership = Membership.objects.filter(user=lead, is_active=True).select_related("centre").first()
    if membership is None or membership.centre is None:
        raise SystemExit(f"{LEAD} has no centre: is the benchmark database seeded?")
    _token, secret = api_token_create(membership=membership, name="bench-load", expires_in_days=1)
    operator = User.objects.filter(email=OPERATOR).first()
    if operator is None:
        operator = User.objects.create_superuser(email=OPERATOR, password=None, display_name="Benchmark operator")
    chosen = Person.objects.for_centre(membership.centre).order_by("?").values_list("pk", flat=True)[:500]
    person_ids = [str(pk) for pk in chosen]
    in_centre = Person.objects.for_centre(membership.centre).count()
    print(f"Users act as the lead of {membership.centre.name} ({in_centre} persons).")
    return {
        "persons": persons,
        "persons_in_centre": in_centre,
        "lead_session": logged_in_client(lead).cookies["sessionid"].value,
        "admin_session": logged_in_client(operator).cookies["sessionid"].value,
        "token": secret,
        "person_ids": person_ids,
        "person_pages": [reverse("people:person_detail", kwargs={"person_id": pk}) for pk in person_ids],
        "pages": [
            ("start page", reverse("core:home")),
            ("person list", reverse("people:person_list")),
            ("intake list", reverse("schooling:intake_list")),
            ("volunteers", reverse("volunteering:volunteer_list")),
            ("centre dashboard", reverse("reporting:centre_dashboard")),
        ],
        "api": [
            ("API person list", "/api/v1/people/?limit=20"),
            ("API person", "/api/v1/people/{id}"),
            ("API intakes", "/api/v1/schooling/intakes?limit=20"),
        ],
        "admin_changelist": reverse("admin:people_person_changelist"),
    }


def server_environment() -> dict[str, str]:
    # Production settings (config.settings, no embedded defaults) over plain HTTP on 127.0.0.1.
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return environment


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, timeout: float = 300.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/health/", timeout=30).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s (see var/bench-load-gunicorn.log)")


def run_phase(
    user_class: str, url: str, plan_file: str, *, users: int = USERS, seconds: int = SECONDS
) -> dict[str, dict[str, float]]:
    prefix = VAR / f"bench-load-{user_class}"
    command = [
        sys.executable, "-m", "locust", "-f", str(BASE_DIR / "benchmarks" / "load_users.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--host", url,
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0", user_class,
    ]  # fmt: skip
    subprocess.run(command, cwd=BASE_DIR, env={**os.environ, "BENCH_LOAD_PLAN": plan_file}, check=True)
    with open(f"{prefix}_stats.csv", encoding="utf-8", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    figures: dict[str, dict[str, float]] = {}
    for name, row in rows.items():
        requests_made = int(row["Request Count"])
        figures[name] = {
            "requests": requests_made,
            "failures": int(row["Failure Count"]),
            "error_rate": int(row["Failure Count"]) / requests_made if requests_made else 0.0,
            # N/A: no request of this kind finished in the phase.
            "median_ms": float(row["50%"]) if row["50%"] != "N/A" else float("nan"),
            "p95_ms": float(row["95%"]) if row["95%"] != "N/A" else float("nan"),
            "requests_per_s": float(row["Requests/s"]),
        }
    return figures


def report(phase: str, figures: dict[str, dict[str, float]]) -> None:
    print(f"\n{phase}")
    print(f"{'request':<20} {'count':>7} {'errors':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}")
    for name, row in sorted(figures.items(), key=lambda item: item[0] == "Aggregated"):
        print(
            f"{name:<20} {row['requests']:>7.0f} {row['error_rate']:>6.1%} {row['median_ms']:>10.0f} "
            f"{row['p95_ms']:>8.0f} {row['requests_per_s']:>7.1f}"
        )


def main() -> int:
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    setup_django(BENCH_DATABASE)
    random.seed(2026)
    plan = prepare()
    plan_file = VAR / "bench-load-plan.json"
    plan_file.write_text(json.dumps(plan))
    plan_file.chmod(0o600)  # sessions and a token

    environment = server_environment()
    print("Collecting static files as production does ...")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (VAR / "bench-load-gunicorn.log").open("wb") as log_file:
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
             "--timeout", "120", "--no-control-socket"],
            cwd=BASE_DIR, env=environment, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until_up(url)
        load = os.getloadavg()
        print(
            f"gunicorn with {WORKERS} workers up; load average before the run {load[0]:.1f} on {os.cpu_count()} cores"
        )
        # Warm-up, not counted: each worker opens its connection and fills its caches (charts, templates).
        run_phase("CentreLeadUser", url, str(plan_file), users=8, seconds=WARM_UP_SECONDS)
        run_phase("AdminUser", url, str(plan_file), users=4, seconds=WARM_UP_SECONDS // 2)
        platform = run_phase("CentreLeadUser", url, str(plan_file))
        admin = run_phase("AdminUser", url, str(plan_file))
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=60)
        plan_file.unlink(missing_ok=True)
    report(f"Platform: {USERS} users, {SECONDS} s, main pages and API", platform)
    report(f"Baseline: {USERS} users, {SECONDS} s, Django admin person changelist", admin)
    total, baseline = platform["Aggregated"], admin["Aggregated"]
    ratio = total["p95_ms"] / baseline["p95_ms"] if baseline["p95_ms"] else float("inf")
    passed = total["p95_ms"] <= TARGET_P95_MS and total["failures"] == 0
    print(
        f"\np95 platform / p95 admin changelist: x{ratio:.2f}; median x{total['median_ms'] / baseline['median_ms']:.2f}"
        f"\nplatform p95 {total['p95_ms']:.0f} ms, errors {total['error_rate']:.2%} -> "
        f"{'meets' if passed else 'MISSES'} the target (p95 <= {TARGET_P95_MS:.0f} ms, 0 errors); "
        f"load average during the run {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    output = VAR / "bench-load.json"
    output.write_text(
        json.dumps(
            {
                "users": USERS,
                "seconds": SECONDS,
                "workers": WORKERS,
                "persons": plan["persons"],
                "platform": platform,
                "admin_changelist": admin,
                "p95_ratio": ratio,
                "load_average_before": load,
                "passed": passed,
            },
            indent=2,
        )
    )
    print(f"Figures written to {output.relative_to(BASE_DIR)}.")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
