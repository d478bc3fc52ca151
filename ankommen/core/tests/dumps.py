"""A full plain-text dump of the test database, as an attacker with a backup would read it."""

from __future__ import annotations

import subprocess

from ankommen.core import backups


def full_dump() -> str:
    server = backups.Server.of_application()
    result = subprocess.run(  # noqa: S603 - PostgreSQL's client with our own arguments
        [str(backups.client_tool("pg_dump")), "--format=plain"],
        env=server.environment(),
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8", errors="replace")
