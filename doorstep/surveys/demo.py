"""The demo "Homeworker mapping" form (``data/homeworker_mapping.md``, consent first) with about
200 submissions in the demo union: women met in a mapping exercise, some of them members (linked by
member number), most not yet. Deterministic and idempotent; sent through the same path as a phone."""

import random
import uuid
from pathlib import Path
from xml.sax.saxutils import escape

from django.db import transaction

from doorstep.members.demo import INDIA
from doorstep.members.models import Member
from doorstep.organizations.models import Organization, User

from . import services
from .models import Form

FORM = Path(__file__).parent / "data" / "homeworker_mapping.md"
COUNT = 200
SECTORS = {
    "embroidery": ("Zari border", 30, 60),
    "garments": ("Thread cutting", 1, 3),
    "beadwork": ("Beaded neckline", 15, 35),
    "footwear": ("Shoe uppers", 6, 12),
    "incense": ("Agarbatti (1000 sticks)", 25, 45),
}
# Rough centres of the demo localities (north-east and north-west Delhi), for the demo's geopoints.
LOCALITIES = {
    "Seelampur": (28.6692, 77.2710),
    "Jafrabad": (28.6826, 77.2768),
    "Mustafabad": (28.7100, 77.2737),
    "Jagatpur": (28.7407, 77.2222),
    "Shahabad": (28.7308, 77.0950),
}
GIVERS = [
    "Salim Bhai",
    "Kohinoor Embroidery Exports",
    "Rekha (footwear agent)",
    "Pappu Contractor",
    "don't know",
]


def _group(name: str, values: dict) -> str:
    inner = "".join(f"<{key}>{escape(str(value))}</{key}>" for key, value in values.items())
    return f"<{name}>{inner}</{name}>"


def _xml(rng: random.Random, numbers: list[int]) -> bytes:
    consent = "yes" if rng.random() < 0.94 else "no"
    body = f"<consent>{consent}</consent>"
    if consent == "yes":
        sector = rng.choice(list(SECTORS))
        product, low, high = SECTORS[sector]
        work_type = rng.choices(["homeworker", "self_employed", "both"], weights=[7, 2, 1])[0]
        given = work_type != "self_employed"
        helpers = rng.choices([0, 1, 2, 3], weights=[5, 3, 2, 1])[0]
        hazards = sorted(rng.sample(["eyes", "back", "needle", "chemicals"], k=rng.randint(0, 3)))
        knows_brand = rng.choices(["no", "yes"], weights=[8, 2])[0] if given else ""
        locality = rng.choice(list(LOCALITIES))
        latitude, longitude = LOCALITIES[locality]
        body += _group(
            "household",
            {
                "member_no": rng.choice(numbers) if numbers and rng.random() < 0.3 else "",
                "respondent": f"{rng.choice(INDIA['given'])} {rng.choice(INDIA['family'])}",
                "locality": locality,
                "location": f"{latitude + rng.uniform(-0.004, 0.004):.6f} "
                f"{longitude + rng.uniform(-0.004, 0.004):.6f} 210 {rng.randint(3, 15)}",
                "household_size": rng.randint(2, 9),
            },
        )
        body += _group(
            "work",
            {
                "work_type": work_type,
                "sector": sector,
                "product": product,
                "work_giver": rng.choice(GIVERS) if given else "",
                "knows_brand": knows_brand,
                "brand": "Demo Apparel Brand" if knows_brand == "yes" else "",
                "piece_rate": rng.randint(low * 4, high * 4) / 4,
                "pieces_week": rng.randint(5, 120),
                "hours_day": rng.choice([4, 5, 6, 7, 8, 9, 10, 11]),
                "helpers": helpers,
                "child_helpers": rng.choice(["yes", "no"]) if helpers else "",
                "cost_month": rng.randint(1, 12) * 50,
                "payment_delay": int(rng.paretovariate(1.3) * 7) if given else "",
                "rejected_month": rng.choice([0, 0, 0, 2, 5, 10, 20]),
                "hazards": " ".join(hazards) or "none",
            },
        )
    instance = uuid.UUID(int=rng.getrandbits(128), version=4)
    return (
        f'<?xml version="1.0"?><mapping id="homeworker_mapping" version="2026-11">{body}'
        f"<meta><instanceID>uuid:{instance}</instanceID></meta></mapping>"
    ).encode()


@transaction.atomic
def load() -> list[str]:
    organization = Organization.objects.get(slug=INDIA["slug"])
    if Form.objects.filter(organization=organization, xml_form_id="homeworker_mapping").exists():
        return [f"{organization.slug}: the mapping form is there already"]
    actor = User.objects.get(username=INDIA["admin"])
    form = services.upload_form(organization, filename=FORM.name, data=FORM.read_bytes(), actor=actor).form
    services.set_state(form, "open", actor=actor)
    services.set_member_field(form, "household/member_no", actor=actor)
    numbers = list(Member.objects.filter(organization=organization).values_list("number", flat=True))
    rng = random.Random("doorstep-demo-mapping")
    for _ in range(COUNT):
        services.receive(organization, xml=_xml(rng, numbers), files={}, user=actor, source="demo")
    return [f"{organization.slug}: mapping form with {COUNT} submissions added"]
