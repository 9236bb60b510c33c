"""Demo market: the Kenyan demo cooperative's products (photos drawn here with Pillow: patterns,
no person, no place, no metadata), its public catalogue, a buyer, an order shared among members of
one group as their work orders, and the demo network's sourced export facts for Kenyan producers.
Idempotent."""

import io
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from doorstep.members.models import Member
from doorstep.organizations.models import Organization, User

from . import services
from .models import Product

# Kenya's general wages order (November 2024) for a general labourer in Nairobi, Mombasa and
# Kisumu: 16,113.75 KES a month ÷ (26 days × 8 hours) = 77.47 KES an hour (the work app's reference
# row ke-cities-general-month-2024-11, with its source). Kenya has no national rate for all areas, so
# the demo names the hourly wage.
HOURLY_WAGE = "77.47"

PRODUCTS = [
    {
        "name": "Beaded bracelet",
        "sector": "beadwork",
        "standard_minutes": "45",
        "materials_cost": "60",
        "margin_percent": "25",
        "materials": "Glass seed beads, waxed cotton thread",
        "sizes": "17 cm, 19 cm",
        "minimum_order": 20,
        "lead_time_days": 21,
        "story": "Beaded in five colours by the cooperative's beadwork groups, each piece strung by hand.",
        "translations": {
            "sw": {"name": "Bangili ya shanga", "story": "Imetengenezwa kwa mkono na vikundi vya ushanga."}
        },
        "colours": [(200, 30, 40), (250, 200, 0), (20, 120, 60), (30, 60, 160), (240, 240, 240)],
    },
    {
        "name": "Sisal kiondo basket",
        "sector": "handicrafts",
        "standard_minutes": "300",
        "materials_cost": "150",
        "margin_percent": "25",
        "materials": "Sisal fibre, natural dyes, leather handles",
        "sizes": "Small (25 cm), large (35 cm)",
        "minimum_order": 10,
        "lead_time_days": 30,
        "story": "Woven in the round from sisal the groups dye themselves; about five hours for one basket.",
        "translations": {
            "sw": {"name": "Kiondo cha mkonge", "story": "Kimesukwa kwa mkono kwa mkonge uliotiwa rangi."}
        },
        "colours": [(190, 140, 80), (120, 60, 30), (230, 200, 150)],
    },
    {
        "name": "Embroidered kikoi cushion cover",
        "sector": "embroidery",
        "standard_minutes": "120",
        "materials_cost": "200",
        "margin_percent": "20",
        "materials": "Cotton kikoi cloth, cotton embroidery thread",
        "sizes": "45 × 45 cm",
        "minimum_order": 12,
        "lead_time_days": 28,
        "story": "Striped kikoi cloth, embroidered along its border.",
        "translations": {},
        "colours": [(20, 90, 140), (240, 120, 30), (250, 250, 240)],
    },
]

# Facts for a Kenyan producer selling abroad. Each names its source; none has been checked against it
# again by the demo network, so each is marked not verified.
TRADE_FACTS = [
    {
        "country": "DE",
        "topic": "tariffs",
        "title": "Duty-free access to the EU under the EU–Kenya EPA",
        "text": "The EU–Kenya Economic Partnership Agreement entered into force on 1 July 2024: goods "
        "originating in Kenya enter the EU free of duties and quotas. Originating status must be shown "
        "with proof of origin under the agreement's rules of origin.",
        "source": "European Commission, EU–Kenya Economic Partnership Agreement, "
        "https://policy.trade.ec.europa.eu/eu-trade-relationships-country-and-region/countries-and-regions/kenya_en",
        "as_of": "2024-07",
    },
    {
        "country": "DE",
        "topic": "documents",
        "title": "Export documents through the Kenya TradeNet single window",
        "text": "Kenyan export documents (certificates of origin, permits) are applied for through the "
        "Kenya National Electronic Single Window System run by KenTrade.",
        "source": "KenTrade, Kenya National Electronic Single Window System, https://www.kentrade.go.ke/",
        "as_of": "2025",
    },
    {
        "country": "DE",
        "topic": "certification",
        "title": "WFTO Guarantee System for fair trade organizations",
        "text": "The World Fair Trade Organization's Guarantee System verifies an organization as a whole "
        "(not one product) against the 10 Principles of Fair Trade; members may use the WFTO label.",
        "source": "World Fair Trade Organization, Guarantee System, https://wfto.com/",
        "as_of": "2025",
    },
    {
        "country": "DE",
        "topic": "fairs",
        "title": "Ambiente, Frankfurt",
        "text": "International consumer goods fair held every year in Frankfurt am Main, with a section "
        "for fair and sustainable products.",
        "source": "Messe Frankfurt, Ambiente, https://ambiente.messefrankfurt.com/",
        "as_of": "2025",
    },
    {
        "country": "US",
        "topic": "tariffs",
        "title": "AGOA: status to check before quoting",
        "text": "The African Growth and Opportunity Act gave eligible Kenyan goods duty-free entry to the "
        "United States; its authorization ran to 30 September 2025. Whether it has been renewed must be "
        "checked before quoting US buyers a duty-free price.",
        "source": "Office of the United States Trade Representative, AGOA, https://ustr.gov/issue-areas/trade-development/preference-programs/african-growth-and-opportunity-act-agoa",
        "as_of": "2025",
    },
]


def _photo(colours: list[tuple[int, int, int]], seed: int) -> bytes:
    """A pattern of stripes and dots in the product's colours (no person, no place)."""
    image = Image.new("RGB", (960, 640), colours[-1])
    draw = ImageDraw.Draw(image)
    for row in range(0, 640, 40):
        draw.rectangle([0, row, 960, row + 18], fill=colours[(row // 40 + seed) % len(colours)])
    for x in range(40, 960, 80):
        for y in range(40, 640, 80):
            draw.ellipse([x - 14, y - 14, x + 14, y + 14], fill=colours[(x + y + seed) % len(colours)])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load() -> list[str]:
    cooperative = Organization.objects.get(slug="demo-cooperative")
    if Product.objects.filter(organization=cooperative).exists():
        return []
    admin = User.objects.get(username="orgadmin-b")
    members = list(
        Member.objects.filter(organization=cooperative, group__isnull=False).order_by("number")[:3]
    )
    groups = sorted({m.group_id for m in members})
    products = []
    for seed, spec in enumerate(PRODUCTS):
        fields = {k: v for k, v in spec.items() if k != "colours"}
        product = services.save_product(
            cooperative,
            data=services.ProductInput(
                **fields,
                hourly_wage=HOURLY_WAGE,
                currency="KES",
                price=None,
                producer_groups=groups,
                published=True,
            ),
            actor=admin,
        )
        services.add_photo(product, data=_photo(spec["colours"], seed), caption=spec["name"], actor=admin)
        products.append(product)
    buyer = services.save_partner(
        cooperative,
        data=services.PartnerInput(
            name="Demo Fair Trade Importer",
            kind="importer",
            country="DE",
            contact_name="Demo buyer",
            email="buyer@example.org",
        ),
        actor=admin,
    )
    today = timezone.localdate()
    order = services.create_sales_order(
        cooperative,
        data=services.OrderInput(
            partner_id=buyer.pk,
            ordered_on=today - timedelta(days=20),
            due_on=today + timedelta(days=10),
            reference="PO-DEMO-1",
            lines=[services.LineInput(product_id=products[0].pk, quantity=60)],
        ),
        actor=admin,
    )
    line = order.lines.get()
    services.split_line(
        line, shares=[services.ShareInput(member_id=m.pk, quantity=20) for m in members], actor=admin
    )
    services.accept_order(order, actor=admin, on=today - timedelta(days=18))
    services.record_sale_payment(
        order,
        received_on=today - timedelta(days=15),
        amount=line.unit_price * 30,
        note="Advance, half the order",
        actor=admin,
    )
    share = line.shares.order_by("pk").first()
    services.pay_producer(share, paid_on=today - timedelta(days=14), amount=line.piece_rate * 10, actor=admin)
    network = Organization.objects.get(slug="demo-network")
    editor = User.objects.get(username="netadmin")
    for fact in TRADE_FACTS:
        services.save_trade_fact(network, data=services.TradeFactInput(**fact, verified=False), actor=editor)
    services.save_partner(
        network,
        data=services.PartnerInput(name="Demo World Shop Network", kind="shop", country="NL"),
        actor=editor,
    )
    return [
        f"demo-cooperative: {len(products)} products in the catalogue at /market/demo-cooperative/, "
        f"an order shared among {len(members)} members; demo-network: {len(TRADE_FACTS)} trade facts"
    ]
