"""The topics and audiences the centres start with; operators add more in the admin."""

from django.db import migrations

TOPICS = [
    ("intercultural-school-development", "Interkulturelle Schulentwicklung", "Intercultural school development"),
    ("german-as-a-second-language", "Deutsch als Zweitsprache", "German as a second language"),
    ("trauma-sensitive-teaching", "Traumasensibler Unterricht", "Trauma-sensitive teaching"),
    ("anti-discrimination", "Antidiskriminierung", "Anti-discrimination"),
    ("working-with-interpreters", "Arbeit mit Sprachmittlung", "Working with interpreters"),
    ("volunteer-basics", "Grundlagen für Ehrenamtliche", "Volunteer basics"),
]
AUDIENCES = [
    ("teachers", "Lehrkräfte", "Teachers"),
    ("pedagogical-staff", "Pädagogische Fachkräfte", "Pedagogical staff"),
    ("volunteers", "Ehrenamtliche", "Volunteers"),
    ("administration", "Verwaltung", "Administration"),
]


def add_defaults(apps, schema_editor):
    for model_name, rows in (("Topic", TOPICS), ("Audience", AUDIENCES)):
        model = apps.get_model("courses", model_name)
        for position, (key, name_de, name_en) in enumerate(rows):
            model.objects.update_or_create(
                key=key, defaults={"name_de": name_de, "name_en": name_en, "position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_courses_sessions_registrations")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
