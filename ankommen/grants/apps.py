from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "ankommen.grants"
    label = "grants"
