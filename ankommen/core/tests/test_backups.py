"""`make backup` and `make restore`: a restore into a fresh database equals the source, table by table."""

import shutil
import stat
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ankommen.core import backups
from ankommen.people.models import Person
from ankommen.people.tests.factories import FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def restored_name():
    server = backups.Server.of_application()
    name = f"{server.database}_restored"
    backups.database_drop(database=name, server=server)
    yield name
    backups.database_drop(database=name, server=server)


def _some_data(centre):
    family = FamilyFactory(centre=centre)
    PersonFactory(centre=centre, family=family, given_names="Олена", family_name="Коваленко")
    PersonFactory(centre=centre, family=family, given_names="Yusuf", family_name="Yılmaz")


def test_a_backup_restored_into_a_fresh_database_has_every_table_with_the_same_rows(tmp_path, centre, restored_name):
    _some_data(centre)
    output = StringIO()
    call_command("backup_database", directory=tmp_path, stdout=output)

    (dump,) = tmp_path.glob("*.dump")
    backup = backups.Backup(dump=dump)
    for path in (dump, backup.checksum_file, backup.manifest_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # social data: readable by the owner only
    # The checksum file is in sha256sum's format: an operator checks a copy with `sha256sum --check`.
    check = [shutil.which("sha256sum"), "--check", "--quiet", backup.checksum_file.name]
    assert subprocess.run(check, cwd=tmp_path, check=False).returncode == 0  # noqa: S603
    manifest = backup.manifest()
    assert manifest.tables["public.people_person"]["rows"] == 2
    assert manifest.tables["public.people_personevent"]["rows"] == 2  # the history is in the backup too
    assert len(manifest.tables) > 100
    assert manifest.sequences

    call_command("restore_database", str(dump), database=restored_name, stdout=output)

    assert "equal to the backup's" in output.getvalue()
    server = backups.Server.of_application()
    source = backups.database_manifest(server)
    restored = backups.database_manifest(server.other_database(restored_name))
    assert restored.tables == source.tables == manifest.tables
    assert restored.sequences == source.sequences
    with server.other_database(restored_name).connect() as copy:
        names = copy.execute("SELECT given_names FROM people_person ORDER BY given_names").fetchall()
    assert names == [("Yusuf",), ("Олена",)]


def test_a_changed_row_is_named_by_the_comparison_with_the_manifest(tmp_path, centre):
    _some_data(centre)
    backup = backups.backup_create(directory=tmp_path)
    Person.objects.for_centre(centre).filter(given_names="Yusuf").update(given_names="Yusef")

    source = backups.database_manifest(backups.Server.of_application())

    differing = {line.split(":")[0] for line in backup.manifest().differences(source)}
    assert {"table public.people_person", "table public.people_personevent"} <= differing
    assert "table public.regions_centre" not in differing


def test_restore_refuses_a_database_that_holds_tables_unless_told_to_replace_it(tmp_path, centre, restored_name):
    _some_data(centre)
    backup = backups.backup_create(directory=tmp_path)
    backups.restore(backup=backup, database=restored_name)

    with pytest.raises(backups.BackupError, match="is not empty"):
        backups.restore(backup=backup, database=restored_name)
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore_database", str(backup.dump))  # the application's own database holds tables

    again = backups.restore(backup=backup, database=restored_name, replace=True)
    assert again.differences == []
    assert again.rows == backup.manifest().total_rows


def test_restore_refuses_a_damaged_backup_and_creates_nothing(tmp_path, centre, restored_name):
    backup = backups.backup_create(directory=tmp_path)
    content = bytearray(backup.dump.read_bytes())
    content[len(content) // 2] ^= 0xFF
    backup.dump.write_bytes(bytes(content))

    with pytest.raises(backups.BackupError, match="does not match its checksum"):
        backups.restore(backup=backup, database=restored_name)
    assert backups.database_is_empty(backups.Server.of_application(), restored_name) is None


def test_backups_connect_as_the_backup_role_when_one_is_configured(settings):
    settings.BACKUP_DATABASE_URL = "postgresql://ankommen_owner:geheim@db.example.org:5433/ankommen"
    assert backups.Server.of_application() == backups.Server(
        host="db.example.org", port="5433", user="ankommen_owner", password="geheim", database="ankommen"
    )
    assert backups.Server.of_application().environment()["PGPASSWORD"] == "geheim"  # never on a command line
