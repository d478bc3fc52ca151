from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "ankommen.core"
    label = "core"

    def ready(self) -> None:
        from ankommen.core.row_level_security import apply_after_migrate

        # After every migrate: tables that migrations of other apps created since get their policy and grants.
        post_migrate.connect(apply_after_migrate, sender=self, dispatch_uid="row_level_security")
