from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ankommen.api"
    label = "api"
