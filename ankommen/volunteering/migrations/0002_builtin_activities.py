from django.db import migrations

BUILTIN = [
    ("language_mentoring", "Sprachpatenschaft", "language mentoring"),
    ("accompaniment", "Begleitung zu Ämtern und Ärzten", "accompaniment to offices and doctors"),
    ("homework_help", "Hausaufgabenhilfe", "homework help"),
    ("leisure", "Freizeitangebote", "leisure activities"),
    ("interpreting", "Dolmetschen", "interpreting"),
    ("housing_search", "Wohnungssuche", "housing search"),
    ("job_mentoring", "Jobpatenschaft", "job mentoring"),
]


def add_builtin(apps, schema_editor):
    Activity = apps.get_model("volunteering", "Activity")
    for position, (code, name_de, name_en) in enumerate(BUILTIN):
        Activity.objects.update_or_create(
            code=code, defaults={"name_de": name_de, "name_en": name_en, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_volunteers_requests_shifts_hours")]

    operations = [migrations.RunPython(add_builtin, migrations.RunPython.noop)]
