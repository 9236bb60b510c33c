"""Demo grievances: a dozen cases across the categories in both demo organizations, among them a
collective case about late payment against a demo intermediary, won with money recovered, and cases
still open with deadlines this week; a case shared with the demo brand, with its reply; the union's
intake link with one report waiting. Deterministic and idempotent."""

from datetime import date, timedelta

from doorstep.core.errors import ValidationError
from doorstep.members.models import Member, Purpose
from doorstep.members.queries import consenting_members
from doorstep.organizations.models import Organization, User
from doorstep.supplychains.models import Party
from doorstep.work.models import WorkOrder

from .models import Case, CaseShare, IntakeChannel
from .services import cases, intake, remedies, sharing, timeline

# (category, party, summary, status, opened days ago,
#  actions [(kind, days ago, detail, outcome, deadline in days)])
CASES = {
    "demo-union": {
        "admin": "organizer-a",
        "collective": ("Salim Bhai", "INR"),
        "cases": [
            (
                "rejected_goods",
                "Kohinoor Embroidery Exports",
                "Twelve zari borders rejected as 'uneven' and not paid",
                "in_negotiation",
                35,
                [
                    (
                        "meeting",
                        30,
                        "Met the supervisor at the unit with the member.",
                        "He agreed to look again.",
                        5,
                    )
                ],
            ),
            (
                "low_rates",
                "Salim Bhai",
                "Rate for aari cushion covers cut from 20 to 14",
                "open",
                12,
                [("call", 10, "Called Salim Bhai about the new rate.", "He says the exporter cut it.", 3)],
            ),
            (
                "costs_pushed",
                "Salim Bhai",
                "Thread and electricity paid by the women for the festival order",
                "escalated",
                60,
                [
                    ("letter", 55, "Letter to the exporter listing the costs.", "No answer.", None),
                    (
                        "escalation",
                        20,
                        "Raised with the brand's sourcing contact.",
                        "Waiting for a reply.",
                        -2,
                    ),
                ],
            ),
            (
                "unsafe_work",
                "Rekha (footwear agent)",
                "Glue fumes: headaches and eye pain while stitching uppers at home",
                "open",
                8,
                [
                    (
                        "meeting",
                        7,
                        "Group meeting with the footwear members.",
                        "They want masks and a fan.",
                        10,
                    )
                ],
            ),
            (
                "harassment",
                "Farida (agent)",
                "Agent shouts at and threatens to stop work for those who ask for pay",
                "open",
                4,
                [],
            ),
        ],
    },
    "demo-cooperative": {
        "admin": "organizer-b",
        "collective": ("Mama Njeri", "KES"),
        "cases": [
            (
                "cancelled_order",
                "Savannah Crafts Ltd",
                "Bracelet order cancelled after the beads were bought",
                "resolved",
                90,
                [
                    (
                        "negotiation",
                        70,
                        "Negotiated with the buyer's manager.",
                        "The beads will be paid for.",
                        None,
                    )
                ],
            ),
            (
                "deductions",
                "Lakeside Curio Traders",
                "Deductions for 'quality' on every basket",
                "in_negotiation",
                25,
                [("formal_complaint", 20, "Written complaint to the trader.", "Meeting set.", 6)],
            ),
            (
                "no_social_protection",
                "Mama Njeri",
                "No NHIF cover for members who fell ill during the order",
                "open",
                15,
                [],
            ),
            (
                "late_payment",
                "Savannah Crafts Ltd",
                "Sandal straps delivered in June, still not paid",
                "closed_without_remedy",
                120,
                [
                    (
                        "authority_filing",
                        100,
                        "Filed with the labour office.",
                        "The buyer closed the business.",
                        None,
                    )
                ],
            ),
            (
                "other",
                "Lakeside Curio Traders",
                "Trader asks for the women's ID cards to keep",
                "open",
                3,
                [],
            ),
        ],
    },
}


DEMO_INTAKE_CODE = "demo-union-intake"  # a fixed address for the demo only; real ones are random


def load() -> list[str]:
    lines = [f"{slug}: {_load(slug, spec)} grievances added" for slug, spec in CASES.items()]
    lines.append(_intake())
    lines.append(_share())
    return lines


DEMO_OVERRIDE = "She asked that the brand hear her case, knowing that its agent may guess it is hers."
MESSAGE_TO_BRAND = "Pieces rejected without a reason by your supplier; the member was not paid for them."


def _share() -> str:
    """One of the union's cases shared with the demo brand (members who agreed to that; the first
    that passes the k-check, or else one an administrator shares anyway with a reason), with the
    brand's answer."""
    union = Organization.objects.get(slug="demo-union")
    brand = Organization.objects.get(slug="demo-brand")
    if CaseShare.objects.filter(organization=union).exists():
        return "demo-brand: a shared case already there"
    agreed = set(
        consenting_members([union.pk], Purpose.COMPANY_CASE, date.today()).values_list("pk", flat=True)
    )
    admin = User.objects.get(username="orgadmin-a")
    candidates = [
        c
        # One woman's cases first, then collective ones (their members are many: they pass more often).
        for c in Case.objects.filter(organization=union).order_by("-kind", "number")
        if c.members.exists() and all(m.pk in agreed for m in c.members.all())
    ]
    if not candidates:
        return "demo-brand: no case whose member agreed to sharing with a company"
    share, how = None, "passes the k-check"
    for case in candidates:
        try:
            share = sharing.share_case(case, brand, {"message": MESSAGE_TO_BRAND}, actor=admin)
        except ValidationError as error:
            if error.code != "singles_out":
                raise
            continue  # it could point at her: try another one
        break
    if share is None:
        # The demo's ledgers are small: every case would match fewer than k of its work giver's
        # workers. The union's administrator shares the first anyway, saying why (audited), so that
        # the brand's side can be seen; the brand still sees only bands and months.
        case, how = candidates[0], "an administrator overrode the k-check, with a reason"
        share = sharing.share_case(
            case, brand, {"message": MESSAGE_TO_BRAND, "override_reason": DEMO_OVERRIDE}, actor=admin
        )
    sharing.company_reply(
        share,
        "We have asked our supplier for its inspection records.",
        actor=User.objects.get(username="company"),
    )
    return f"demo-brand: case {case.number} of the union shared with the brand ({how})"


def _intake() -> str:
    """The union's intake link (at /intake/demo-union-intake/) and one report waiting to be read."""
    union = Organization.objects.get(slug="demo-union")
    if IntakeChannel.objects.filter(organization=union).exists():
        return "demo-union: intake link already there"
    channel = intake.open_channel(union, actor=User.objects.get(username="organizer-a"))
    IntakeChannel.objects.filter(pk=channel.pk).update(code=DEMO_INTAKE_CODE)
    intake.submit_intake(
        DEMO_INTAKE_CODE,
        {
            "description": "The agent gave us beads to string for 3 weeks; now she says the buyer won't pay.",
            "category": "late_payment",
            "work_giver": "Farida",
        },
        address=None,
        language="en",
    )
    return f"demo-union: intake link /intake/{DEMO_INTAKE_CODE}/ with one report waiting"


def _load(slug: str, spec: dict) -> int:
    organization = Organization.objects.get(slug=slug)
    if Case.objects.filter(organization=organization).exists():
        return 0
    actor = User.objects.get(username=spec["admin"])
    today = date.today()
    members = list(Member.objects.filter(organization=organization, status="active").order_by("number"))
    parties = {p.name: p for p in Party.objects.filter(organization=organization)}
    count = 0
    for index, (category, party_name, summary, status, opened_ago, actions) in enumerate(spec["cases"]):
        member = members[(index * 7) % len(members)]
        party = parties[party_name]
        orders = list(WorkOrder.objects.filter(member=member, party=party).order_by("given_on")[:2])
        case = cases.create_case(
            organization,
            data={
                "kind": "individual",
                "category": category,
                "members": [member.pk],
                "parties": [party.pk],
                "orders": [o.pk for o in orders],
                "summary": summary,
                "narrative": f"{summary}. Told to the organizer at the monthly meeting; she asked us to act.",
                "priority": "high" if category in ("harassment", "unsafe_work") else "normal",
                "taken_by": actor.pk,
                "opened_on": today - timedelta(days=opened_ago),
            },
            actor=actor,
        )
        _act(case, actions, today, actor)
        if status != "open":
            cases.set_status(case, status, actor=actor, on=today - timedelta(days=max(opened_ago - 40, 1)))
        if status == "resolved":
            remedies.add_remedy(
                case,
                {
                    "kind": "other",
                    "description": "The buyer paid for the beads.",
                    "received_on": today - timedelta(days=50),
                },
                actor=actor,
            )
        count += 1
    count += _collective(organization, spec, members, parties, today, actor)
    return count


def _act(case, actions, today, actor) -> None:
    for kind, ago, detail, outcome, deadline_in in actions:
        happened = today - timedelta(days=ago)
        deadline = today + timedelta(days=deadline_in) if deadline_in is not None else None
        timeline.add_action(
            case,
            {
                "kind": kind,
                "happened_on": happened,
                "detail": detail,
                "outcome": outcome,
                "deadline": deadline if deadline and deadline >= happened else None,
                "deadline_note": "Follow up" if deadline else "",
            },
            actor=actor,
        )


def _collective(organization, spec, members, parties, today, actor) -> int:
    """Many members paid months late by one intermediary: taken up together, won with back pay."""
    party_name, currency = spec["collective"]
    party = parties[party_name]
    late = list(
        WorkOrder.objects.filter(organization=organization, party=party, flag_late=True).order_by("given_on")[
            :12
        ]
    )
    group = sorted({o.member_id for o in late})
    case = cases.create_case(
        organization,
        data={
            "kind": "collective",
            "category": "late_payment",
            "members": group,
            "group_description": f"Women working for {party_name}",
            "parties": [party.pk],
            "orders": [o.pk for o in late],
            "summary": f"Payments from {party_name} months late for the whole group",
            "narrative": "Members brought their passbooks to the meeting: most orders paid months late.",
            "priority": "high",
            "taken_by": actor.pk,
            "opened_on": today - timedelta(days=75),
        },
        actor=actor,
    )
    _act(
        case,
        [
            (
                "meeting",
                70,
                "Group meeting with the members and their passbooks.",
                "Amounts owed listed order by order.",
                None,
            ),
            (
                "negotiation",
                45,
                f"Negotiation with {party_name} and the buyer above.",
                "Agreed to pay the arrears in two parts.",
                None,
            ),
        ],
        today,
        actor,
    )
    owed = sum((o.owed for o in late), 0) or 1000
    remedies.add_remedy(
        case,
        {
            "kind": "money",
            "amount": owed,
            "currency": currency,
            "orders": [o.pk for o in late],
            "received_on": today - timedelta(days=30),
            "description": "Arrears paid to each woman in front of the organizer.",
        },
        actor=actor,
    )
    cases.set_status(case, "resolved", actor=actor, on=today - timedelta(days=30))
    return 1
