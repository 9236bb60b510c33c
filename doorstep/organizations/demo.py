"""Demo organizations and users, loaded idempotently by ``python -m doorstep load_demo``.

Later apps add their own demo content to these organizations with a ``load()`` in their own
``demo.py``; the command calls each app's after this one's, in the order of ``INSTALLED_APPS``."""

from django.db import transaction

from doorstep.core.roles import Role

from . import services
from .models import Affiliation, Organization, RoleAssignment, SharingAgreement, User

DEMO_PASSWORD = "doorstep-demo"  # noqa: S105 - the published demo password, never used in production

ORGANIZATIONS = [
    ("demo-network", "Demo Regional Network", Organization.Kind.REGIONAL_NETWORK, "", ["en", "hi", "sw"]),
    ("demo-union", "Demo Homeworkers Union", Organization.Kind.UNION, "IN", ["hi", "en"]),
    (
        "demo-cooperative",
        "Demo Home-Based Workers Cooperative",
        Organization.Kind.COOPERATIVE,
        "KE",
        ["sw", "en"],
    ),
    ("demo-brand", "Demo Apparel Brand", Organization.Kind.COMPANY, "DE", ["en"]),
]

# (username, display name, organization slug or None for the platform admin, role)
USERS = [
    ("admin", "Platform Admin", None, None),
    ("orgadmin-a", "Asha (union admin)", "demo-union", Role.ORG_ADMIN),
    ("organizer-a", "Meena (union organizer)", "demo-union", Role.ORGANIZER),
    ("orgadmin-b", "Wanjiru (cooperative admin)", "demo-cooperative", Role.ORG_ADMIN),
    ("organizer-b", "Achieng (cooperative organizer)", "demo-cooperative", Role.ORGANIZER),
    ("netadmin", "Nadia (network admin)", "demo-network", Role.ORG_ADMIN),
    ("analyst", "Ravi (network analyst)", "demo-network", Role.NETWORK_ANALYST),
    ("company", "Claire (brand due diligence)", "demo-brand", Role.COMPANY),
    # The union's admin also sits on the network's research team: she switches between the two.
    ("orgadmin-a", "Asha (union admin)", "demo-network", Role.NETWORK_ANALYST),
]


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Create what is missing; return (username, organization, role) rows for the login table."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser(
            "admin", email="", password=DEMO_PASSWORD, display_name="Platform Admin"
        )
    organizations = {}
    for slug, name, kind, country, languages in ORGANIZATIONS:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            organization = services.create_organization(
                name=name, slug=slug, kind=kind, country=country, languages=languages, actor=admin
            )
        organizations[slug] = organization
    network = organizations["demo-network"]
    for slug in ("demo-union", "demo-cooperative"):
        if not Affiliation.objects.filter(
            member=organizations[slug], network=network, until__isnull=True
        ).exists():
            services.add_affiliation(member=organizations[slug], network=network, actor=admin)
    rows = [("admin", "—", "platform admin")]
    for username, display_name, slug, role in USERS[1:]:
        organization = organizations[slug]
        if not RoleAssignment.objects.filter(organization=organization, user__username=username).exists():
            services.add_person(
                organization, username=username, role=role, display_name=display_name, actor=admin
            )
        user = User.objects.get(username=username)
        if not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        rows.append((username, organization.name, role.label))
    _agreements(organizations)
    return rows


# Both organizations share statistics with the network; the union shares work figures with the brand.
AGREEMENTS = [
    ("demo-union", "orgadmin-a", "demo-network", "network_statistics", ["members", "work", "surveys"]),
    ("demo-cooperative", "orgadmin-b", "demo-network", "network_statistics", ["members", "work"]),
    ("demo-union", "orgadmin-a", "demo-brand", "company_due_diligence", ["work", "grievances"]),
]


def _agreements(organizations: dict) -> None:
    for slug, username, recipient, purpose, kinds in AGREEMENTS:
        organization = organizations[slug]
        if SharingAgreement.objects.filter(
            organization=organization, recipient=organizations[recipient], purpose=purpose
        ).exists():
            continue
        services.create_agreement(
            organization,
            data={"recipient": organizations[recipient].pk, "purpose": purpose, "data_kinds": kinds},
            actor=User.objects.get(username=username),
        )
