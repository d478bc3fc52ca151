from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_second_factor_sessions_login_failures")]

    operations = [
        migrations.AddField(
            model_name="totpdevice",
            name="secret_encrypted",
            field=models.BinaryField(default=b"", verbose_name="secret (encrypted)"),
        ),
    ]
