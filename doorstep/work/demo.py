"""Demo work orders that tell a story: embroidery, beadwork, footwear and incense in India,
beadwork, baskets and tailoring in Kenya; rates that leave most women below the minimum wage
once their hours, their daughters' hours and their costs are counted; payments that come weeks
or months late; rejections without a reason; an order cancelled after the materials were given.
Deterministic (seeded) and idempotent."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from doorstep.members.models import Member
from doorstep.organizations.models import Organization, User
from doorstep.supplychains.models import Party

from . import rates
from .models import WorkOrder
from .services import orders as order_services
from .services import rates as rate_services

# sector -> (product, unit, rate range, minutes a unit)
PRODUCTS = {
    "IN": {
        "embroidery": [
            ("Zari border for a sari", "piece", (30, 60), 75),
            ("Aari cushion cover", "piece", (12, 25), 40),
            ("Sequin patch", "piece", (2, 4), 8),
        ],
        "garments": [
            ("Thread cutting", "dozen", (3, 6), 12),
            ("Hand-stitched kurta buttons", "piece", (1, 3), 6),
        ],
        "beadwork": [("Beaded neckline", "piece", (15, 35), 50)],
        "footwear": [("Stitching shoe uppers", "pair", (6, 12), 20)],
        "incense": [("Rolling agarbatti", "thousand", (25, 45), 55)],
    },
    "KE": {
        "beadwork": [
            ("Beaded bracelet", "piece", (40, 90), 55),
            ("Beaded sandals strap", "pair", (120, 200), 110),
        ],
        "handicrafts": [("Sisal kiondo basket", "piece", (250, 450), 300)],
        "weaving": [("Woven table mat", "piece", (80, 150), 90)],
        "food_processing": [("Sorting and packing groundnuts", "kg", (10, 20), 12)],
        "garments": [("Tailoring a school uniform", "piece", (120, 220), 120)],
    },
}
GIVERS = {
    "demo-union": {
        "default": ["Salim Bhai", "Kohinoor Embroidery Exports", "Farida (agent)"],
        "footwear": ["Rekha (footwear agent)"],
    },
    "demo-cooperative": {"default": ["Mama Njeri", "Savannah Crafts Ltd", "Lakeside Curio Traders"]},
}
ADMINS = {"demo-union": "organizer-a", "demo-cooperative": "organizer-b"}
REASONS = ["uneven stitches", "stain on the fabric", "wrong colour beads", ""]


def _orders_for(member, parties, rng: random.Random, today: date) -> list[dict]:
    country = member.country.code
    sector = next((s for s in member.sectors if s in PRODUCTS[country]), next(iter(PRODUCTS[country])))
    orders = []
    for _ in range(rng.randint(2, 5)):
        product, unit, (low, high), minutes = rng.choice(PRODUCTS[country][sector])
        rate = Decimal(rng.randint(low * 4, high * 4)) / 4
        quantity = rng.choice([10, 12, 20, 24, 30, 40, 50, 60, 100])
        given = today - timedelta(days=rng.randint(20, 270))
        delivered = given + timedelta(days=rng.randint(5, 20))
        hours = Decimal(quantity * minutes * rng.uniform(0.8, 1.3) / 60).quantize(Decimal("0.5"))
        order = {
            "member": member.pk,
            "party": rng.choice(parties.get(sector) or parties["default"]).pk,
            "given_on": given,
            "product": product,
            "sector": sector,
            "unit": unit,
            "quantity_ordered": quantity,
            "piece_rate": rate,
            "currency": "INR" if country == "IN" else "KES",
            "deadline": given + timedelta(days=21),
            "materials_supplied": rng.random() < 0.7,
            "her_hours": hours,
            "deliveries": [],
            "payments": [],
            "costs": [],
            "helpers": [],
        }
        if rng.random() < 0.35:
            order["helpers"].append(
                {
                    "relationship": rng.choice(["daughter", "daughter", "son", "parent"]),
                    "count": 1,
                    "children": rng.random() < 0.5,
                    "hours": (hours * Decimal("0.4")).quantize(Decimal("0.5")),
                }
            )
        order["costs"].append(
            {"kind": "electricity", "amount": Decimal(rng.randint(1, 4) * (10 if country == "IN" else 20))}
        )
        if not order["materials_supplied"]:
            order["costs"].append(
                {"kind": "materials", "amount": (rate * quantity * Decimal("0.15")).quantize(Decimal("1"))}
            )
        if rng.random() < 0.3:
            order["costs"].append({"kind": "transport", "amount": Decimal(20 if country == "IN" else 100)})
        if delivered <= today:
            rejected = quantity * rng.choice([0, 0, 0, 0.05, 0.1, 0.2])
            order["deliveries"].append(
                {
                    "delivered_on": delivered,
                    "quantity": quantity,
                    "rejected": int(rejected),
                    "rejection_reason": rng.choice(REASONS) if rejected else "",
                    "rejected_paid": False,
                }
            )
            owed = rate * (quantity - int(rejected))
            roll = rng.random()
            if roll < 0.55:
                paid_on = delivered + timedelta(days=rng.randint(3, 20))
                order["payments"].append({"paid_on": paid_on, "amount": owed, "method": "cash"})
            elif roll < 0.8:
                first = delivered + timedelta(days=rng.randint(10, 30))
                part = (owed * Decimal("0.6")).quantize(Decimal("1"))
                order["payments"].append({"paid_on": first, "amount": part, "method": "cash"})
                later = first + timedelta(days=rng.randint(20, 90))
                if later <= today and rng.random() < 0.6:
                    order["payments"].append(
                        {
                            "paid_on": later,
                            "amount": owed - part,
                            "method": "mobile_money" if country == "KE" else "cash",
                        }
                    )
                if rng.random() < 0.3 and first <= today:
                    order["deductions"] = [
                        {
                            "deducted_on": first,
                            "amount": (owed * Decimal("0.05")).quantize(Decimal("1")),
                            "reason": "'quality' cut",
                        }
                    ]
            # else: unpaid so far
        order["payments"] = [p for p in order["payments"] if p["paid_on"] <= today]
        orders.append(order)
    return orders


@transaction.atomic
def _load_organization(slug: str) -> int:
    organization = Organization.objects.get(slug=slug)
    if WorkOrder.objects.filter(organization=organization).exists():
        return 0
    actor = User.objects.get(username=ADMINS[slug])
    by_name = {p.name: p for p in Party.objects.filter(organization=organization)}
    parties = {key: [by_name[n] for n in names] for key, names in GIVERS[slug].items()}
    rng = random.Random(f"doorstep-demo-work-{slug}")
    today = date.today()
    count = 0
    for member in Member.objects.filter(
        organization=organization, status="active", merged_into__isnull=True
    ).order_by("number"):
        for data in _orders_for(member, parties, rng, today):
            order_services.create_order(organization, data=data, actor=actor)
            count += 1
    # An order cancelled after the materials were given: she had already started.
    member = Member.objects.filter(organization=organization, status="active").order_by("number").first()
    country = member.country.code
    order_services.create_order(
        organization,
        data={
            "member": member.pk,
            "party": parties["default"][0].pk,
            "given_on": today - timedelta(days=40),
            "product": "Zari border for a sari" if country == "IN" else "Beaded bracelet",
            "sector": "embroidery" if country == "IN" else "beadwork",
            "quantity_ordered": 40,
            "piece_rate": 45 if country == "IN" else 60,
            "currency": "INR" if country == "IN" else "KES",
            "materials_supplied": True,
            "materials_value": 1200 if country == "IN" else 2500,
            "her_hours": 14,
            "status": "cancelled",
            "cancelled_on": today - timedelta(days=30),
            "cancelled_by": "giver",
            "work_lost": True,
            "costs": [{"kind": "electricity", "amount": 30 if country == "IN" else 60}],
        },
        actor=actor,
    )
    # A fair rate worked out with the women for the most common product, to take to the next meeting.
    product, wage = ("Aari cushion cover", "88.75") if country == "IN" else ("Beaded bracelet", "77.47")
    result = rates.rated_output(
        hourly_wage=wage,
        currency="INR" if country == "IN" else "KES",
        samples=[{"pieces": 2, "minutes": 60}, {"pieces": 1.5, "minutes": 60}, {"pieces": 1, "minutes": 50}],
    )
    rate_services.save_rate(
        organization,
        result=result,
        product=product,
        sector="embroidery" if country == "IN" else "beadwork",
        actor=actor,
    )
    return count + 1


def load() -> list[str]:
    return [
        f"{slug}: {_load_organization(slug)} work orders added" for slug in ("demo-union", "demo-cooperative")
    ]
