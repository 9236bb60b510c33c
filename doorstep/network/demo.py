"""Demo network: the demo network and its two organizations are listed in the directory, with three
more listed organizations that have no users (a national network, an association and an ally), some
of them affiliated to the demo network, and one request to join it waiting; two bulletins in two
languages each, a small resource library, and events (one training with attendance). Idempotent."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone

from doorstep.core.pdf import Document
from doorstep.members.models import Member
from doorstep.organizations import services as organization_services
from doorstep.organizations.models import Affiliation, Organization, User

from .models import AffiliationRequest, Bulletin, Event, Listing, Resource, Subscriber
from .services import bulletins as bulletin_services
from .services import directory as directory_services
from .services import events as event_services
from .services import news as news_services
from .services import resources as resource_services
from .services import subscribers as subscriber_services

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
        directory_services.save_listing(organizations[slug], data={**data, "listed": True}, actor=admin)
        added += 1
    asking = organizations["demo-dhaka-association"]
    if not AffiliationRequest.objects.filter(organization=asking, network=network).exists():
        AffiliationRequest.objects.create(
            organization=asking,
            network=network,
            message="We would like to join the regional network and take part in its trainings.",
            requested_by=admin,
        )
    lines = [f"directory: {added} listings"] if added else []
    made = load_bulletins(network, admin)
    lines += [f"bulletins: {made} published versions"] if made else []
    resources = load_resources(network)
    lines += [f"library: {resources} resources"] if resources else []
    events = load_events(network)
    return lines + ([f"events: {events}, one training with attendance"] if events else [])


# Two issues of the network's bulletin, each in English and one more language.
BULLETINS = [
    (
        70,
        {
            "en": (
                "Bulletin 1: Organizing homeworkers across the region",
                "Leaders from four countries met; the union won arrears for 22 beadworkers.",
                [
                    (
                        "Regional leaders' meeting",
                        "Organizers from India, Kenya, Nepal and Bangladesh met for two days to share how "
                        "they register homeworkers and keep records of their work.\n\nThe next meeting will "
                        "plan the campaign for ILO Convention 177.",
                    ),
                    (
                        "Arrears won",
                        "After a collective grievance, 22 beadworkers received the pay an intermediary had "
                        "held back for three months. Their passbooks were the evidence.",
                    ),
                ],
            ),
            "hi": (
                "बुलेटिन 1: पूरे क्षेत्र में गृह-आधारित कामगारों का संगठन",
                "चार देशों की नेता मिलीं; यूनियन ने 22 कामगारों का बकाया दिलाया।",
                [
                    (
                        "क्षेत्रीय नेताओं की बैठक",
                        "भारत, केन्या, नेपाल और बांग्लादेश की आयोजकों ने दो दिन तक मिलकर अनुभव साझा किए।",
                    ),
                    ("बकाया मिला", "सामूहिक शिकायत के बाद 22 कामगारों को तीन महीने का रुका हुआ भुगतान मिला।"),
                ],
            ),
        },
    ),
    (
        20,
        {
            "en": (
                "Bulletin 2: Toward C177 ratification",
                "A new guide for organizers and a call for evidence on piece rates.",
                [
                    (
                        "Campaign for C177",
                        "Only a handful of countries have ratified the Home Work Convention. Affiliates are "
                        "gathering evidence on pay and conditions to support national campaigns.",
                    ),
                    (
                        "Call for evidence",
                        "Send us what homeworkers are paid per piece this season: the fair piece-rate "
                        "calculator in Doorstep shows what the minimum wage requires.",
                    ),
                ],
            ),
            "sw": (
                "Jarida 2: Kuelekea kuridhiwa kwa C177",
                "Mwongozo mpya kwa waandaaji na wito wa ushahidi kuhusu malipo kwa kipande.",
                [
                    (
                        "Kampeni ya C177",
                        "Nchi chache tu zimeridhia Mkataba wa Kazi za Nyumbani. Washirika wanakusanya "
                        "ushahidi kuhusu malipo na hali za kazi.",
                    ),
                ],
            ),
        },
    ),
]


def load_bulletins(network, admin) -> int:
    if Bulletin.objects.filter(organization=network).exists():
        return 0
    editor = User.objects.get(username="netadmin")
    made = 0
    for days_ago, versions in BULLETINS:
        first = None
        for language, (title, summary, sections) in versions.items():
            data = {"title": title, "summary": summary, "language": language}
            if first is not None:
                data["translation_of"] = first
            bulletin = bulletin_services.create_bulletin(network, data=data, actor=editor)
            bulletin.sections.all().delete()  # a translation starts as a copy; the demo has its own words
            for heading, body in sections:
                bulletin_services.add_section(bulletin, data={"heading": heading, "body": body}, actor=editor)
            bulletin_services.publish_bulletin(bulletin, actor=editor)
            when = timezone.now() - timedelta(days=days_ago)
            Bulletin.objects.filter(pk=bulletin.pk).update(published_at=when, sent_at=when)
            first = first or bulletin
            made += 1
    union = Organization.objects.get(slug="demo-union")
    news_services.submit_news(
        union,
        network=network,
        data={
            "title": "Incense rollers' rates negotiated",
            "body": "The union agreed a new piece rate with two contractors after timing the work together.",
            "language": "en",
        },
        actor=User.objects.get(username="orgadmin-a"),
    )
    if not Subscriber.objects.filter(organization=network).exists():
        # The demo reader is confirmed at once: no confirmation e-mail is printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            subscriber_services.subscribe(
                network, email="reader@example.org", language="en", address="127.0.0.1"
            )
        Subscriber.objects.filter(organization=network).update(
            status="confirmed", confirmed_at=timezone.now()
        )
    return made


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    document = Document(title, footer="Doorstep demo")
    for text in paragraphs:
        document.paragraph(text)
    return document.pdf()


def load_resources(network) -> int:
    if Resource.objects.filter(organization=network).exists():
        return 0
    editor = User.objects.get(username="netadmin")
    items = [
        (
            {
                "title": "Pocket tool: timing the work for a fair piece rate",
                "kind": "tool",
                "summary": "Time a few workers making the same piece, take the mean pieces per hour, and "
                "divide the hourly minimum wage by it; the UK rule adds 20 percent so that slower "
                "workers are not left below the minimum.",
                "languages": ["en"],
                "topics": ["pay", "organizing"],
            },
            _pdf(
                "Timing the work",
                [
                    "1. Choose five workers who are typical of the group.",
                    "2. Time each for an hour on the same piece and count what she makes.",
                    "3. Fair rate = hourly minimum wage x 1.2 / mean pieces per hour.",
                ],
            ),
        ),
        (
            {
                "title": "ILO Home Work Convention, 1996 (No. 177)",
                "kind": "law",
                "summary": "The text of the Convention and its ratifications, on the ILO's NORMLEX.",
                "link": "https://normlex.ilo.org/dyn/nrmlx_en/f?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:C177",
                "languages": ["en", "fr", "es"],
                "topics": ["laws"],
            },
            None,
        ),
        (
            {
                "title": "How homeworkers can use the OECD due diligence guidance (garment and footwear)",
                "kind": "guide",
                "link": "https://www.wiego.org/resources/how-homeworkers-can-use-oecd-due-diligence-guidance-"
                "responsible-supply-chains-garment-and",
                "languages": ["en"],
                "topics": ["supply_chains"],
            },
            None,
        ),
        (
            {
                "title": "Trainers' notes for the leaders' workshop",
                "kind": "training",
                "audience": "members",
                "summary": "For the affiliates' trainers only: the plan of the two days and the exercises.",
                "languages": ["en", "hi", "sw"],
                "countries": ["IN", "KE"],
                "topics": ["organizing"],
            },
            _pdf("Leaders' workshop", ["Day 1: registering members.", "Day 2: keeping records of work."]),
        ),
    ]
    for data, pdf in items:
        upload = SimpleUploadedFile("document.pdf", pdf) if pdf else None
        resource_services.save_resource(network, data=data, upload=upload, actor=editor)
    return len(items)


def load_events(network) -> int:
    if Event.objects.filter(organization=network).exists():
        return 0
    editor = User.objects.get(username="netadmin")
    union = Organization.objects.get(slug="demo-union")
    cooperative = Organization.objects.get(slug="demo-cooperative")
    today = timezone.localdate()
    training = event_services.save_event(
        network,
        data={
            "kind": "training",
            "title": "Leaders' workshop: registering members and recording work",
            "description": "Two days for organizers: registering homeworkers, keeping records of work as ILO "
            "Recommendation 184 asks, and using the passbook in negotiations.",
            "starts_on": today - timedelta(days=30),
            "ends_on": today - timedelta(days=29),
            "place": "Ahmedabad",
            "is_public": True,
            "invited": [union, cooperative],
            "materials": list(Resource.objects.filter(organization=network, kind="training")),
        },
        actor=editor,
    )
    people = [
        (
            union,
            "orgadmin-a",
            [
                ("Meena", "organizer", "present"),
                ("Sunita", "member", "present"),
                ("Kamla", "member", "absent"),
            ],
        ),
        (cooperative, "orgadmin-b", [("Achieng", "organizer", "present"), ("Wanjiku", "leader", "present")]),
    ]
    for organization, username, names in people:
        actor = User.objects.get(username=username)
        members = list(Member.objects.filter(organization=organization).order_by("number")[: len(names)])
        for index, (name, role, attendance) in enumerate(names):
            member = members[index] if role == "member" and index < len(members) else None
            registration = event_services.register_person(
                training,
                organization,
                data={"name": name, "role": role, "member": member, "gender": "woman"},
                actor=actor,
            )
            event_services.set_attendance(registration, attendance=attendance, actor=editor)
    event_services.save_event(
        network,
        data={
            "kind": "exchange",
            "title": "Learning exchange on piece rates",
            "description": "Organizers from Kenya and India compare how they time the work and negotiate "
            "rates.",
            "starts_on": today + timedelta(days=21),
            "online_link": "https://meet.example.org/piece-rates",
            "is_public": True,
            "invited": [union, cooperative],
        },
        actor=editor,
    )
    return 2
