from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "ankommen.work"
    label = "work"
