from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_encrypt_totp_secrets")]

    operations = [migrations.RemoveField(model_name="totpdevice", name="secret")]
