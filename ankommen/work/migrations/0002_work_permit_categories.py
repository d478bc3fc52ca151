"""The starting list of work permit categories (ankommen/work/permits.py)."""

from django.db import migrations

from ankommen.work.permits import permit_categories_ensure


def add_categories(apps, schema_editor):
    permit_categories_ensure(apps.get_model("work", "WorkPermitCategory"))


class Migration(migrations.Migration):
    dependencies = [("work", "0001_work_models")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
