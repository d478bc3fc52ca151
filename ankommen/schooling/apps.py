from django.apps import AppConfig


class SchoolingConfig(AppConfig):
    name = "ankommen.schooling"
    label = "schooling"
