from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0005_import_options")]

    operations = [
        migrations.AddIndex(
            model_name="loginfailure",
            index=models.Index(fields=["address", "failed_at"], name="loginfailure_address_idx"),
        ),
    ]
