from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "ankommen.network"
    label = "network"
