from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    name = "ankommen.volunteering"
    label = "volunteering"
