"""What every benchmark does before it measures: its own database and Django set up for in-process requests.

A benchmark calls `setup_django(database)` first: on the embedded PostgreSQL (no `DATABASE_URL`) the database is
created if missing and reused afterwards; with `DATABASE_URL` set that server is used as it is. Settings then assume
production, so this sets what they need: a key, no HTTPS redirect, the test client's host, mails kept in memory
(the modules' demo data sends mails), the field-encryption key of `make run` (made if missing, so that reused data
stays readable), and plain static URLs (the benchmarks time the server's work, not static files).
With row-level security on (the default), the benchmark's own set-up sees every centre; what it measures sets
its own scope (`_every_centre`). `logged_in_client(user)` is a test client logged in past the second factor.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

    from ankommen.accounts.models import User

BASE_DIR = Path(__file__).resolve().parent.parent


def _prepare_environment(database: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    if "DATABASE_URL" not in os.environ:
        import psycopg

        from ankommen.core.embedded_db import embedded_database_url

        application_url = embedded_database_url(BASE_DIR / "var" / "pgdata")
        admin_url = application_url.replace("/ankommen?", "/postgres?", 1)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
                connection.execute(f'CREATE DATABASE "{database}"')
        os.environ["DATABASE_URL"] = application_url.replace("/ankommen?", f"/{database}?", 1)
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SECURE", "false")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if "ANKOMMEN_FIELD_ENCRYPTION_KEY" not in os.environ:
        key_file = BASE_DIR / "var" / "field-encryption.key"
        if not key_file.exists():
            # Kept as `make run` keeps it, so that the next run can still read the data this one seeds.
            from cryptography.fernet import Fernet

            key_file.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(Fernet.generate_key().decode())
        os.environ["ANKOMMEN_FIELD_ENCRYPTION_KEY"] = key_file.read_text().strip()


def setup_django(database: str) -> None:
    _prepare_environment(database)
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if settings.ROW_LEVEL_SECURITY:
        from django.db.backends.signals import connection_created

        connection_created.connect(_every_centre)


def _every_centre(sender: object, connection: object, **kwargs: object) -> None:
    """The benchmark's own set-up and checks read and write every centre's rows, as the tests' do (docs/rls.md).

    Each connection starts so, also after `migrate` has reconnected. What is measured sets its own scope: a request
    its centre in the middleware (and sets back this one afterwards), a job its run's centre; the web processes of
    `make bench-load` are the platform's own and see only the request's centre.
    """
    from ankommen.core.row_level_security import ALL_CENTRES, SCOPE_SETTING

    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT set_config(%s, %s, false)", [SCOPE_SETTING, ALL_CENTRES])


def logged_in_client(user: User) -> Client:
    from django.test import Client

    from ankommen.accounts.middleware import SECOND_FACTOR_VERIFIED_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_VERIFIED_KEY] = True
    session.save()
    return client
