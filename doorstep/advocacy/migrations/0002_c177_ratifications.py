"""Load the shipped C177 ratifications (data/c177_ratifications.csv) into the legal tracker, each
with its source; a row already there (edited by someone) is left as it is."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "c177_ratifications.csv"


def load(apps, schema_editor):
    LegalFact = apps.get_model("advocacy", "LegalFact")
    LegalFactChange = apps.get_model("advocacy", "LegalFactChange")
    with DATA.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            facts = [("c177_ratified", {"ratified": True, "on": row["ratified"]})]
            if row["in_force"]:
                facts.append(("c177_in_force", {"on": row["in_force"]}))
            for fact, value in facts:
                if LegalFact.objects.filter(country=row["country_iso2"], fact=fact).exists():
                    continue
                found = LegalFact.objects.create(
                    country=row["country_iso2"], fact=fact, value=value, source=row["source"], as_of=row["as_of"]
                )
                LegalFactChange.objects.create(
                    fact=found,
                    value=value,
                    source=row["source"],
                    as_of=row["as_of"],
                    note="Loaded from Doorstep's shipped reference data",
                )


class Migration(migrations.Migration):
    dependencies = [("advocacy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
