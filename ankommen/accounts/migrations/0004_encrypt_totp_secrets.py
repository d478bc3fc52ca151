"""Encrypts the authenticator secrets that were stored in plain text."""

from django.db import migrations

from ankommen.core.crypto import decrypt_text, encrypt_text


def forwards(apps, schema_editor):
    TotpDevice = apps.get_model("accounts", "TotpDevice")
    for device in TotpDevice.objects.exclude(secret=""):
        device.secret_encrypted = encrypt_text(device.secret)
        device.save(update_fields=["secret_encrypted"])


def backwards(apps, schema_editor):
    TotpDevice = apps.get_model("accounts", "TotpDevice")
    for device in TotpDevice.objects.all():
        device.secret = decrypt_text(device.secret_encrypted)
        device.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_totpdevice_secret_encrypted")]

    operations = [migrations.RunPython(forwards, backwards)]
