"""Demo work givers for the demo organizations and the demo brand's chain through both; the union's
due-diligence narrative to the brand and one commitment the brand made (idempotent)."""

from datetime import date, timedelta

from doorstep.organizations.models import Organization, User

from . import services
from .models import DossierNarrative, Party, PartyLink

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
        {"name": "Demo Apparel Brand", "kind": "brand", "country": "DE", "company": "demo-brand"},
        {"name": "Delhi Stitch Works", "kind": "supplier", "country": "IN", "locality": "Noida"},
        {"name": "Okhla Finishing Unit", "kind": "contractor", "country": "IN", "locality": "Okhla"},
        {
            "name": "Farida (agent)",
            "kind": "intermediary",
            "is_person": True,
            "country": "IN",
            "locality": "Jamia Nagar",
            "notes": "Takes finishing work from the Okhla unit to women in her lane.",
        },
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
        {"name": "Demo Apparel Brand", "kind": "brand", "country": "DE", "company": "demo-brand"},
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
        ("Demo Apparel Brand", "Delhi Stitch Works", "likely", "document", "Packing list seen by a member."),
        (
            "Delhi Stitch Works",
            "Okhla Finishing Unit",
            "likely",
            "testimony",
            "The unit's supervisor said so.",
        ),
        ("Okhla Finishing Unit", "Farida (agent)", "confirmed", "work_orders", ""),
    ],
    # The brand's chain reaches the cooperative's members too; the cooperative shares only with the
    # network, so the brand's dossier shows the union's part alone.
    "demo-cooperative": [
        ("Demo Apparel Brand", "Savannah Crafts Ltd", "likely", "label", "Brand tags on beaded sandals."),
        ("Savannah Crafts Ltd", "Mama Njeri", "confirmed", "work_orders", ""),
    ],
}


def load() -> list[str]:
    lines = []
    for slug, parties in PARTIES.items():
        organization = Organization.objects.get(slug=slug)
        actor = User.objects.get(username=ADMINS[slug])
        added = 0
        for data in parties:
            if not Party.objects.filter(organization=organization, name=data["name"]).exists():
                if "company" in data:
                    data = data | {"company": Organization.objects.get(slug=data["company"]).pk}
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
    lines.append(_due_diligence())
    return lines


NARRATIVE = {
    "identify": (
        "Our members in Seelampur and Jamia Nagar embroider and finish garments that carry the brand's "
        "label. They are paid by the piece through agents; once their hours, their daughters' hours and "
        "the electricity they pay for are counted, most earn well below the Delhi minimum wage."
    ),
    "prevent": (
        "Pay piece rates worked out from the time a piece takes (rated output), so that an average "
        "worker earns at least the minimum wage an hour, and pay within 30 days of delivery."
    ),
    "remediate": (
        "Back pay for orders rejected without a reason and for the months of late payment, agreed with "
        "the union and paid to each woman, not through the agent."
    ),
}


def _due_diligence() -> str:
    """The union's words to the demo brand, and one commitment the brand made."""
    union = Organization.objects.get(slug="demo-union")
    brand = Organization.objects.get(slug="demo-brand")
    if DossierNarrative.objects.filter(organization=union, company=brand).exists():
        return "demo-brand: dossier already there"
    services.save_narrative(union, brand, NARRATIVE, actor=User.objects.get(username="orgadmin-a"))
    services.add_commitment(
        brand,
        union,
        {
            "step": "remediate",
            "action": "Review the piece rates paid through Kohinoor Embroidery Exports with the union.",
            "owner": "Head of responsible sourcing",
            "deadline": date.today() + timedelta(days=60),
        },
        actor=User.objects.get(username="company"),
    )
    return "demo-brand: the union's narrative and one commitment added"
