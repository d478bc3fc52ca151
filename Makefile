# Ankommen: `make run` starts the platform with real reference data and demo data; `make test` runs every test.
SHELL := /bin/bash
PY := .venv/bin/python
UV := .venv/bin/uv
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded demo may skip the second factor so that a visitor can look around (see README).
DEMO_ENV := ANKOMMEN_REQUIRE_SECOND_FACTOR=$${ANKOMMEN_REQUIRE_SECOND_FACTOR:-false}

.PHONY: run test setup stop lint check-migrations bench-people bench-placement bench-volunteers bench-employment bench-dashboard bench-import bench-load clean-db messages assets backup restore drill-backup drill-restart drill-worker-kill

.venv/installed: requirements/base.txt requirements/dev.txt
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(UV) pip install --quiet -p $(PY) -r requirements/base.txt -r requirements/dev.txt
	touch $@

node_modules/installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

ankommen/core/static/vendor/installed: node_modules/installed
	rm -rf ankommen/core/static/vendor
	mkdir -p ankommen/core/static/vendor/kern ankommen/core/static/vendor/htmx
	cp -r node_modules/@kern-ux/native/dist/kern.min.css node_modules/@kern-ux/native/dist/fonts ankommen/core/static/vendor/kern/
	cp node_modules/@kern-ux/native/LICENSE* ankommen/core/static/vendor/kern/ 2>/dev/null || true
	cp node_modules/htmx.org/dist/htmx.min.js ankommen/core/static/vendor/htmx/
	touch $@

assets: ankommen/core/static/vendor/installed

messages: .venv/installed
	cd ankommen && ../.venv/bin/django-admin compilemessages -v 0

setup: .venv/installed assets messages

run: setup
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo --size small --if-empty
	$(MANAGE) collectstatic --no-input -v 0
	$(MANAGE) print_demo_logins
	@trap 'kill 0' EXIT INT TERM; \
	$(DEMO_ENV) $(MANAGE) jobs_worker & \
	$(DEMO_ENV) $(MANAGE) runserver --noreload $(HOST):$(PORT)

test: setup
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: .venv/installed
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy ankommen config benchmarks scripts

check-migrations: .venv/installed
	$(MANAGE) makemigrations --check --dry-run

bench-people: setup
	$(PY) benchmarks/people_search.py

bench-placement: .venv/installed
	$(PY) benchmarks/placement.py

bench-volunteers: .venv/installed
	$(PY) benchmarks/volunteers.py

bench-employment: .venv/installed
	$(PY) benchmarks/work.py

bench-dashboard: setup
	$(PY) benchmarks/dashboard.py

bench-import: setup
	$(PY) benchmarks/import_persons.py

# 50 locust users on gunicorn over the large demo against the Django admin changelist (docs/security.md).
bench-load: setup
	$(PY) benchmarks/load.py

# Backups (docs/resilience.md): the running database (embedded or DATABASE_URL) into var/backups/<UTC time>.dump
# with a .sha256 checksum and a manifest of every table; `make restore BACKUP=var/backups/….dump` restores it into
# the application's database (DATABASE=name: another one), which must be missing or empty unless REPLACE=yes.
backup: .venv/installed
	$(MANAGE) backup_database

restore: .venv/installed
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<time>.dump [DATABASE=name] [REPLACE=yes]"; exit 2; }
	$(MANAGE) restore_database "$(BACKUP)" $(if $(DATABASE),--database "$(DATABASE)") $(if $(filter yes,$(REPLACE)),--replace)

# The drills of docs/resilience.md, with their results in the README.
drill-backup: .venv/installed
	$(PY) scripts/drill_backup.py

drill-restart: .venv/installed
	$(PY) scripts/drill_restart.py

drill-worker-kill: .venv/installed
	$(PY) scripts/drill_worker_kill.py

stop: .venv/installed
	$(PY) -c "from pathlib import Path; from ankommen.core.embedded_db import stop_embedded_server; stop_embedded_server(Path('var/pgdata').resolve()); stop_embedded_server(Path('var/drill-pgdata').resolve())"

clean-db: stop
	rm -rf var/pgdata
