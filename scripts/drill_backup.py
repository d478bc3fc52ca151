"""`make drill-backup`: back up the running database, restore it into a fresh one, prove that they are equal.

What an operator does each quarter, in one command: `make backup` of the application's database (embedded, or
`DATABASE_URL`), then `make restore` of that file into a new database `<name>_restore_drill`, which verifies the
row count and the content checksum of every table and the value of every sequence against the backup's manifest.
The drill database is dropped afterwards (`--keep` keeps it). Exits non-zero on any difference. The figures go to
stdout and to `var/drill-backup.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the restored database for a look")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    from ankommen.core import backups

    server = backups.Server.of_application()
    target = f"{server.database}_restore_drill"
    backups.database_drop(database=target, server=server)  # what a failed earlier drill left behind
    backup = backups.backup_create(directory=settings.BASE_DIR / "var" / "backups", server=server)
    manifest = backup.manifest()
    try:
        restored = backups.restore(backup=backup, database=target, server=server)
    finally:
        if not options.keep:
            backups.database_drop(database=target, server=server)
    largest = sorted(manifest.tables.items(), key=lambda item: -int(item[1]["rows"]))[:5]
    summary = {
        "source": server.database,
        "server_version": manifest.server_version,
        "backup": str(backup.dump.relative_to(settings.BASE_DIR)),
        "dump_megabytes": round(backup.dump.stat().st_size / 1e6, 1),
        "backup_seconds": round(backup.seconds, 1),
        "restore_and_verify_seconds": round(restored.seconds, 1),
        "tables": len(manifest.tables),
        "rows": manifest.total_rows,
        "sequences": len(manifest.sequences),
        "largest_tables": {name: table["rows"] for name, table in largest},
        "tables_restored": restored.tables,
        "rows_restored": restored.rows,
        "differences": restored.differences,
    }
    (settings.BASE_DIR / "var" / "drill-backup.json").write_text(json.dumps(summary, indent=1) + "\n")
    width = max(len(key) for key in summary)
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")
    if restored.differences or restored.tables != len(manifest.tables):
        print("FAILED: the restored database differs from the backup")
        return 1
    print("PASSED: every table and sequence of the restored database equals the backup")
    return 0


if __name__ == "__main__":
    sys.exit(main())
