from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ankommen.core"
    label = "core"
