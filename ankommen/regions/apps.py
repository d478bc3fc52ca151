from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "ankommen.regions"
    label = "regions"
