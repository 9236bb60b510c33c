"""Each member's record key for the cell-key noise (``core.disclosure``): added empty, drawn at
random for every existing member (one by one: a default would give them all the same key), then
required with a random default for new members."""

import secrets

from django.db import migrations, models

import doorstep.core.disclosure


def draw_keys(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    batch = []
    for member in Member.objects.filter(record_key__isnull=True).only("pk").iterator(chunk_size=5000):
        member.record_key = secrets.randbelow(doorstep.core.disclosure.RECORD_KEY_SPACE)
        batch.append(member)
        if len(batch) >= 5000:
            Member.objects.bulk_update(batch, ["record_key"])
            batch = []
    if batch:
        Member.objects.bulk_update(batch, ["record_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_profile_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="record_key",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="record key"),
        ),
        migrations.RunPython(draw_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="member",
            name="record_key",
            field=models.PositiveIntegerField(
                default=doorstep.core.disclosure.new_record_key, editable=False, verbose_name="record key"
            ),
        ),
    ]
