"""Demo social protection: the demo union's own scheme beside the shipped catalogue, and members'
applications in Uttar Pradesh and Delhi at every step (accepted with their e-Shram numbers, submitted,
documents missing with a next step due this week, a renewal due, one rejection turned into a
grievance case). Deterministic and idempotent."""

from datetime import date, timedelta

from doorstep.members.models import Member
from doorstep.organizations.models import Organization, User

from . import services
from .models import Application, Scheme

OWN_SCHEME = services.SchemeInput(
    name="Uttar Pradesh unorganised workers' registration (state board)",
    kind="welfare_board",
    country="IN",
    region_names=["uttar pradesh"],
    eligibility="Unorganised workers aged 18 to 60 living in Uttar Pradesh (the union's own note; check "
    "the state board's current rules).",
    rules="age between 18-60; state in uttar pradesh",
    documents=["Aadhaar card", "Bank passbook", "Self-declaration of work"],
    where_to_apply="The district labour office or a Common Service Centre",
    benefits="Access to the state's schemes for unorganised workers.",
    source="https://uplabour.gov.in",
    as_of="2024",
)

# (state, scheme key or "own", status, days ago started, days the status is after start,
#  reference number, documents she has (indexes), next step, next step due in days)
APPLICATIONS = [
    ("Delhi", "in-eshram", "accepted", 200, 20, "UAN-4417-0093-2201", (0, 1, 2), "", None),
    ("Uttar Pradesh", "in-eshram", "accepted", 180, 15, "UAN-4417-0093-5518", (0, 1, 2), "", None),
    ("Uttar Pradesh", "in-eshram", "accepted", 150, 10, "UAN-4417-0093-7730", (0, 1, 2), "", None),
    ("Delhi", "in-pm-sym", "submitted", 20, 5, "MSY-20261104-81", (0, 1, 2), "Ask the CSC for the card", 3),
    ("Uttar Pradesh", "in-pm-sym", "documents_missing", 15, 2, "", (0, 2), "Bring the bank passbook", 1),
    ("Delhi", "in-pmsby", "accepted", 360, 30, "PMSBY-55-0912", (0, 1, 2), "", None),
    ("Uttar Pradesh", "in-pmjay", "rejected", 90, 40, "PMJAY-UP-33810", (0, 1, 2), "", None),
    ("Uttar Pradesh", "own", "submitted", 30, 7, "UPBOCW-2026-1187", (0, 1), "Collect the receipt", 5),
    ("Delhi", "in-pmmvy", "to_prepare", 3, 0, "", (), "Get the MCP card from the anganwadi", 6),
]


def load() -> list[str]:
    union = Organization.objects.get(slug="demo-union")
    if Application.objects.filter(organization=union).exists():
        return ["demo-union: applications already there"]
    actor = User.objects.get(username="organizer-a")
    own = Scheme.objects.filter(organization=union, name=OWN_SCHEME.name).first() or services.add_scheme(
        union, OWN_SCHEME, actor=actor
    )
    today = date.today()
    members = list(Member.objects.filter(organization=union, status="active").order_by("number"))
    used: set[int] = set()
    added = 0
    for state, key, status, ago, after, reference, have, step, due in APPLICATIONS:
        scheme = own if key == "own" else Scheme.objects.get(reference_key=key)
        member = next(
            (
                m
                for m in members
                if m.pk not in used
                and m.admin1 == state
                and (m.birth_year is None or 18 <= today.year - m.birth_year <= 40)
            ),
            None,
        )
        if member is None:
            continue
        used.add(member.pk)
        started = today - timedelta(days=ago)
        application = services.start_application(
            union,
            services.ApplicationInput(
                member_id=member.pk,
                scheme_id=scheme.pk,
                started_on=started,
                reference_number=reference,
                documents_have=[scheme.documents[i] for i in have if i < len(scheme.documents)],
                next_step=step,
                next_step_due=today + timedelta(days=due) if due is not None else None,
            ),
            actor=actor,
        )
        steps = {
            "submitted": ["submitted"],
            "documents_missing": ["documents_missing"],
            "accepted": ["submitted", "accepted"],
            "rejected": ["submitted", "rejected"],
        }.get(status, [])
        for number, next_status in enumerate(steps, start=1):
            on = min(today, started + timedelta(days=after * number // len(steps)))
            application = services.set_status(application, next_status, on=on, actor=actor)
        if status == "rejected":
            services.turn_rejection_into_case(application, actor=actor)
        added += 1
    return [f"demo-union: {added} scheme applications added (one rejection made a grievance case)"]
