"""Demo work givers for the demo organizations (idempotent)."""

from doorstep.organizations.models import Organization, User

from . import services
from .models import Party, PartyLink

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
# Steps of the demo brand's chain in the union: (buyer, seller, confidence, evidence, note).
LINKS = {
    "demo-union": [
        (
            "Demo Apparel Brand",
            "Kohinoor Embroidery Exports",
            "confirmed",
            "label",
            "Brand label on finished kurtas.",
        ),
        (
            "Kohinoor Embroidery Exports",
            "Salim Bhai",
            "likely",
            "work_orders",
            "Salim Bhai names the exporter.",
        ),
        ("Kohinoor Embroidery Exports", "Rekha (footwear agent)", "alleged", "testimony", ""),
    ]
}


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
        linked = 0
        for buyer_name, seller_name, confidence, evidence, note in LINKS.get(slug, []):
            buyer = Party.objects.get(organization=organization, name=buyer_name)
            seller = Party.objects.get(organization=organization, name=seller_name)
            if not PartyLink.objects.filter(buyer=buyer, seller=seller).exists():
                services.add_link(
                    buyer, seller, {"confidence": confidence, "evidence": evidence, "note": note}, actor=actor
                )
                linked += 1
        lines.append(f"{slug}: {added} work givers and {linked} links added")
    return lines
