"""Members' logins were named ``member-<record id>``: guessable, so a PIN could be sprayed across
them. Give each one a random name (she never types it: she logs in with her phone number)."""

import re
import secrets

from django.db import migrations


def rename(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    User = apps.get_model("organizations", "User")
    for member in Member.objects.filter(user__isnull=False).select_related("user").iterator(chunk_size=500):
        user = member.user
        if not re.fullmatch(r"member-\d+", user.username):
            continue
        while True:
            username = "member-" + secrets.token_hex(10)
            if not User.objects.filter(username=username).exists():
                break
        User.objects.filter(pk=user.pk).update(username=username)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_consent_to_be_named_per_company"),
        ("organizations", "0003_sharing_agreements"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
