"""Row-level security on every centre-owned table (docs/rls.md).

The list of tables comes from the models, not from this file: the function runs here for the tables that exist,
and again after every `migrate` (post_migrate) for those that migrations created later, new models included.
"""

from django.db import migrations


def enable_row_level_security(apps, schema_editor):
    from ankommen.core.row_level_security import apply_policies, create_app_role

    create_app_role(schema_editor.connection)
    apply_policies(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_access_purpose_evaluation")]

    operations = [migrations.RunPython(enable_row_level_security, migrations.RunPython.noop, elidable=False)]
