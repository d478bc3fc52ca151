from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ankommen.people"
    label = "people"
