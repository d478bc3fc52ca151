from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ankommen.accounts"
    label = "accounts"
