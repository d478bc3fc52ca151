from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ankommen.imports"
    label = "imports"
