from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "ankommen.staffing"
    label = "staffing"
