from django.db import migrations

KOMM_AN_KEY = "komm-an-nrw"


def add_komm_an(apps, schema_editor):
    Programme = apps.get_model("grants", "Programme")
    Programme.objects.update_or_create(
        key=KOMM_AN_KEY,
        defaults={
            "name": "KOMM-AN NRW",
            "description": (
                "Landesprogramm zur Förderung der Integration von Geflüchteten vor Ort: Die Kommunalen "
                "Integrationszentren leiten die Mittel an lokale Initiativen, Vereine und Ehrenamtliche weiter."
            ),
            "is_active": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_programmes_allocations_grants")]

    operations = [migrations.RunPython(add_komm_an, migrations.RunPython.noop)]
