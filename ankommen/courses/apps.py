from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "ankommen.courses"
    label = "courses"
