"""About 60 demo members in each demo member-based organization, with names and places that fit
India and Kenya, consents, dues, and a few likely duplicates to review. Deterministic and
idempotent: an organization that already has members gets none added."""

import random
from datetime import date, timedelta

from doorstep.organizations.models import Organization, User

from .models import ConsentMethod, Member, Purpose
from .services import consent as consent_services
from .services import dues as dues_services
from .services import pii as pii_services
from .services import registry as registry_services

INDIA = {
    "slug": "demo-union",
    "admin": "orgadmin-a",
    "given": [
        "Sunita",
        "Meena",
        "Rekha",
        "Shabana",
        "Fatima",
        "Lakshmi",
        "Geeta",
        "Anita",
        "Sushila",
        "Nazia",
        "Kamla",
        "Pooja",
        "Rubina",
        "Savitri",
        "Asha",
        "Noor",
        "Parveen",
        "Radha",
        "Kiran",
        "Seema",
    ],
    "family": ["Devi", "Kumari", "Begum", "Khatoon", "Yadav", "Ansari", "Verma", "Jatav", "Qureshi", "Saini"],
    "places": [
        ("Uttar Pradesh", "Bareilly", ["Jagatpur", "Shahabad", "Kohadapir"]),
        ("Uttar Pradesh", "Agra", ["Hing Ki Mandi", "Naai Ki Mandi"]),
        ("Delhi", "North East Delhi", ["Seelampur", "Jafrabad", "Mustafabad"]),
    ],
    "sectors": [
        ["embroidery"],
        ["embroidery", "garments"],
        ["footwear"],
        ["beadwork"],
        ["incense"],
        ["garments"],
    ],
    "skills": ["zari", "aari work", "sequins", "stitching uppers", "thread cutting", "rolling agarbatti"],
    "phone": lambda rng: f"+91{rng.choice('6789')}{rng.randrange(10**8, 10**9)}",
    "id_kind": "eshram",
    "languages": ["hi", "ur"],
    "currency": "INR",
    "dues": "120",
}
KENYA = {
    "slug": "demo-cooperative",
    "admin": "orgadmin-b",
    "given": [
        "Wanjiru",
        "Achieng",
        "Atieno",
        "Njeri",
        "Akinyi",
        "Mumbua",
        "Chebet",
        "Wambui",
        "Nyambura",
        "Auma",
        "Faith",
        "Grace",
        "Mercy",
        "Esther",
        "Beatrice",
        "Zawadi",
        "Halima",
        "Amina",
        "Naliaka",
        "Kerubo",
    ],
    "family": [
        "Otieno",
        "Kamau",
        "Mwangi",
        "Ochieng",
        "Wafula",
        "Mutua",
        "Njoroge",
        "Kiprono",
        "Omondi",
        "Wekesa",
    ],
    "places": [
        ("Nairobi", "Kibra", ["Gatwekera", "Makina", "Lindi"]),
        ("Nairobi", "Mathare", ["Mabatini", "Hospital Ward"]),
        ("Kisumu", "Kisumu Central", ["Nyalenda", "Manyatta"]),
    ],
    "sectors": [
        ["beadwork"],
        ["handicrafts"],
        ["weaving"],
        ["food_processing"],
        ["garments"],
        ["beadwork", "handicrafts"],
    ],
    "skills": ["beaded jewellery", "kiondo weaving", "tailoring", "soap making", "sisal baskets"],
    "phone": lambda rng: f"+2547{rng.choice('0129')}{rng.randrange(10**6, 10**7)}",
    "id_kind": "national_id",
    "languages": ["sw", "en"],
    "currency": "KES",
    "dues": "200",
}
PER_ORGANIZATION = 60
LANDMARKS = ["temple", "mosque", "water tank", "school", "market", "church"]


def _load_organization(spec: dict) -> int:
    organization = Organization.objects.get(slug=spec["slug"])
    if Member.objects.filter(organization=organization).exists():
        return 0
    actor = User.objects.get(username=spec["admin"])
    rng = random.Random(f"doorstep-demo-{spec['slug']}")
    today = date.today()
    created = []
    for index in range(PER_ORGANIZATION):
        admin1, admin2, localities = rng.choice(spec["places"])
        size = rng.randint(2, 8)
        name = f"{rng.choice(spec['given'])} {rng.choice(spec['family'])}"
        member = registry_services.create_member(
            organization,
            data={
                "full_name": name,
                "phones": [spec["phone"](rng)] if rng.random() < 0.85 else [],
                "id_numbers": [{"kind": spec["id_kind"], "number": str(rng.randrange(10**9, 10**10))}]
                if rng.random() < 0.6
                else [],
                "category": rng.choices(["homeworker", "self_employed", "both"], weights=[6, 3, 1])[0],
                "sectors": rng.choice(spec["sectors"]),
                "skills": rng.sample(spec["skills"], k=rng.randint(0, 2)),
                "gender": "woman" if rng.random() < 0.95 else "man",
                "birth_year": rng.randint(1965, 2004),
                "languages": spec["languages"][: rng.randint(1, 2)],
                "literacy": rng.choice(["none", "basic", "basic", "functional"]),
                "phone_type": rng.choice(["feature_phone", "feature_phone", "smartphone", "none"]),
                "household_size": size,
                "dependants": rng.randint(0, size - 1),
                "admin1": admin1,
                "admin2": admin2,
                "locality": rng.choice(localities),
                "address": f"Near the {rng.choice(LANDMARKS)}",
                "group": f"{rng.choice(localities)} group",
                "joined_on": today - timedelta(days=rng.randint(30, 2500)),
            },
            actor=actor,
        )
        created.append(member)
        joined = member.joined_on
        consent_services.record_consent(
            member,
            purpose=Purpose.MEMBERSHIP,
            given=True,
            effective_on=joined,
            method=ConsentMethod.PAPER,
            actor=actor,
        )
        for purpose, share in (
            (Purpose.CONTACT, 0.8),
            (Purpose.RESEARCH, 0.7),
            (Purpose.NETWORK_SHARING, 0.6),
            (Purpose.COMPANY_CASE, 0.55),
        ):
            if rng.random() < share:
                method = rng.choice([ConsentMethod.PAPER, ConsentMethod.VERBAL])
                # Those who agree that a case may go to a company agree, on the same form, to be
                # counted in its due-diligence statistics (one draw: the demo's figures stay put).
                both = (
                    (purpose, Purpose.COMPANY_STATISTICS) if purpose == Purpose.COMPANY_CASE else (purpose,)
                )
                for agreed in both:
                    consent_services.record_consent(
                        member, purpose=agreed, given=True, effective_on=joined, method=method, actor=actor
                    )
        if index % 11 == 5:
            consent_services.record_consent(
                member,
                purpose=Purpose.RESEARCH,
                given=False,
                effective_on=today - timedelta(days=10),
                method=ConsentMethod.VERBAL,
                actor=actor,
            )
        if rng.random() < 0.5:
            dues_services.record_dues(
                member,
                period=str(today.year),
                amount=spec["dues"],
                currency=spec["currency"],
                paid_on=today - timedelta(days=rng.randint(0, 200)),
                actor=actor,
            )
        if index % 17 == 3:
            registry_services.update_member(member, data={"status": "lapsed"}, actor=actor)
    # A few likely duplicates for the review page: the same woman registered twice, spelled differently.
    for original in created[:3]:
        pii = pii_services.reveal_pii([original], actor=actor, reason="demo duplicate")[original.pk]
        registry_services.create_member(
            organization,
            data={
                "full_name": pii["full_name"].replace("ee", "i").replace("a", "aa", 1),
                "category": original.category,
                "sectors": original.sectors,
                "admin1": original.admin1,
                "admin2": original.admin2,
                "locality": original.locality,
                "joined_on": today - timedelta(days=3),
            },
            actor=actor,
        )
    return len(created) + 3


def load() -> list[str]:
    return [f"{spec['slug']}: {_load_organization(spec)} members added" for spec in (INDIA, KENYA)]
