"""The policies read the request's centre once per statement instead of once per row (docs/rls.md).

Same condition, each setting in a scalar subquery: the policies of the tables that exist are made anew; tables
that later migrations create get the new condition from the post_migrate run.
"""

from django.db import migrations


def renew_policies(apps, schema_editor):
    from ankommen.core.row_level_security import apply_policies

    apply_policies(schema_editor.connection, renew=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_idempotency_key")]

    operations = [migrations.RunPython(renew_policies, migrations.RunPython.noop, elidable=False)]
