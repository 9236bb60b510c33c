"""Demo directory: the demo network and its two organizations are listed, with three more listed
organizations that have no users (a national network, an association and an ally), some of them
affiliated to the demo network, and one request to join it waiting. Idempotent."""

from doorstep.organizations import services as organization_services
from doorstep.organizations.models import Affiliation, Organization, User

from . import services
from .models import AffiliationRequest, Listing

# slug: (name, kind, country, languages) for organizations that exist only in the directory
MORE = {
    "demo-nepal-network": (
        "Demo Home-Based Workers Network Nepal",
        Organization.Kind.NATIONAL_NETWORK,
        "NP",
        ["en"],
    ),
    "demo-dhaka-association": (
        "Demo Homeworkers Association Dhaka",
        Organization.Kind.ASSOCIATION,
        "BD",
        ["en"],
    ),
    "demo-ally": ("Demo Fair Work Research Centre", Organization.Kind.ALLY, "GB", ["en", "fr"]),
}

LISTINGS = {
    "demo-network": {
        "description": "A regional network of organizations of homeworkers and home-based workers in South "
        "Asia and East Africa. It trains leaders, shares news and campaigns for ILO Convention 177.",
        "area": "South Asia and East Africa",
        "sectors": ["garments", "embroidery", "beadwork", "handicrafts"],
        "email": "contact@network.example.org",
        "website": "https://network.example.org",
    },
    "demo-union": {
        "description": "A union of women homeworkers in embroidery, garments and incense.",
        "area": "Ahmedabad, Gujarat",
        "sectors": ["embroidery", "garments", "incense"],
        "email": "office@union.example.org",
        "phone": "+91 79 0000 0000",
    },
    "demo-cooperative": {
        "description": "A cooperative of home-based beadworkers and tailors selling together.",
        "area": "Nairobi and Kajiado",
        "sectors": ["beadwork", "garments", "handicrafts"],
        "email": "hello@coop.example.org",
    },
    "demo-nepal-network": {
        "description": "National network of home-based workers' organizations in Nepal.",
        "area": "Kathmandu valley",
        "sectors": ["weaving", "handicrafts", "food_processing"],
        "declared_members": 12000,
        "email": "info@nepal-network.example.org",
    },
    "demo-dhaka-association": {
        "description": "An association of homeworkers sewing garments and making paper bags.",
        "area": "Mirpur, Dhaka",
        "sectors": ["garments", "paper_products"],
        "declared_members": 640,
    },
    "demo-ally": {
        "description": "Researchers who support homeworkers' organizations with evidence on pay and supply "
        "chains.",
        "area": "London",
        "sectors": [],
        "website": "https://research.example.org",
    },
}


def load() -> list[str]:
    admin = User.objects.get(username="admin")
    organizations = {}
    for slug, (name, kind, country, languages) in MORE.items():
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            organization = organization_services.create_organization(
                name=name, slug=slug, kind=kind, country=country, languages=languages, actor=admin
            )
        organizations[slug] = organization
    for slug in LISTINGS:
        organizations.setdefault(slug, Organization.objects.get(slug=slug))
    network = organizations["demo-network"]
    if not Affiliation.objects.filter(member=organizations["demo-nepal-network"], network=network).exists():
        organization_services.add_affiliation(
            member=organizations["demo-nepal-network"], network=network, actor=admin
        )
    added = 0
    for slug, data in LISTINGS.items():
        if Listing.objects.filter(organization=organizations[slug]).exists():
            continue
        # The organizations without users are listed by the platform admin, as their admin would.
        services.save_listing(organizations[slug], data={**data, "listed": True}, actor=admin)
        added += 1
    asking = organizations["demo-dhaka-association"]
    if not AffiliationRequest.objects.filter(organization=asking, network=network).exists():
        AffiliationRequest.objects.create(
            organization=asking,
            network=network,
            message="We would like to join the regional network and take part in its trainings.",
            requested_by=admin,
        )
    return [f"directory: {added} listings"] if added else []
