"""Demo work givers for the demo organizations (idempotent)."""

from doorstep.organizations.models import Organization, User

from . import services
from .models import Party

PARTIES = {
    "demo-union": [
        {
            "name": "Salim Bhai",
            "kind": "intermediary",
            "is_person": True,
            "country": "IN",
            "locality": "Seelampur",
            "phones": ["+91 98100 00000"],
            "notes": "Brings zari and sequin work from the exporters.",
        },
        {
            "name": "Kohinoor Embroidery Exports",
            "kind": "supplier",
            "country": "IN",
            "locality": "Okhla, New Delhi",
        },
        {
            "name": "Rekha (footwear agent)",
            "kind": "intermediary",
            "is_person": True,
            "country": "IN",
            "locality": "Agra",
        },
        {"name": "Demo Apparel Brand", "kind": "brand", "country": "DE"},
    ],
    "demo-cooperative": [
        {
            "name": "Mama Njeri",
            "kind": "intermediary",
            "is_person": True,
            "country": "KE",
            "locality": "Kibra",
            "phones": ["+254 700 000000"],
        },
        {"name": "Savannah Crafts Ltd", "kind": "buyer", "country": "KE", "locality": "Nairobi"},
        {"name": "Lakeside Curio Traders", "kind": "buyer", "country": "KE", "locality": "Kisumu"},
    ],
}
ADMINS = {"demo-union": "orgadmin-a", "demo-cooperative": "orgadmin-b"}


def load() -> list[str]:
    lines = []
    for slug, parties in PARTIES.items():
        organization = Organization.objects.get(slug=slug)
        actor = User.objects.get(username=ADMINS[slug])
        added = 0
        for data in parties:
            if not Party.objects.filter(organization=organization, name=data["name"]).exists():
                services.create_party(organization, data=data, actor=actor)
                added += 1
        lines.append(f"{slug}: {added} work givers added")
    return lines
