"""Demo governance for the demo union: its constitution's rules, positions and office-bearers, a past
general assembly with attendance, a resolution, an action item and minutes (frozen, then approved at
the executive meeting after it), and receipts for a few dues payments. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from doorstep.members.models import DuesPayment, Member, Status
from doorstep.organizations.models import Organization, User

from . import queries
from .models import Constitution
from .services import meetings, offices, receipts
from .services import rules as rules_services


def load() -> list[str]:
    union = Organization.objects.get(slug="demo-union")
    if Constitution.objects.filter(organization=union).exists():
        return []
    admin = User.objects.get(username="orgadmin-a")
    today = timezone.localdate()
    rules_services.save_rules(
        union,
        rules_services.RulesInput(
            dues_amount=Decimal("120"),
            dues_currency="INR",
            dues_period="year",
            grace_days=90,
            arrears_lose_vote=True,
            quorum_kind="share",
            quorum_percent=Decimal("25"),
            term_years=3,
        ),
        actor=admin,
    )
    people = list(Member.objects.filter(organization=union, status=Status.ACTIVE).order_by("number"))
    assembly_day = today - timedelta(days=45)
    elected = [m for m in people if m.joined_on <= assembly_day][:3]
    for kind, member in zip(("president", "secretary", "treasurer"), elected, strict=False):
        position = rules_services.add_position(union, rules_services.PositionInput(kind=kind), actor=admin)
        offices.start_term(
            position,
            offices.TermInput(
                member_id=member.pk,
                starts_on=assembly_day,
                mandate="elected",
                shown_publicly=kind == "president",
            ),
            actor=admin,
        )
    rules_services.add_position(
        union,
        rules_services.PositionInput(kind="custom", title="Committee member", single_holder=False),
        actor=admin,
    )
    assembly = meetings.call_meeting(
        union,
        meetings.MeetingInput(
            kind="general_assembly",
            title="Annual general assembly",
            held_on=assembly_day,
            place="Community hall, Jagatpur",
            agenda=(
                "1. Report of the secretary\n2. Accounts and dues\n3. Election of office-bearers\n"
                "4. Any other business"
            ),
        ),
        actor=admin,
    )
    # Those in good standing on the day came, and a few in arrears (who do not count for the quorum).
    came = [
        m.pk
        for index, m in enumerate(people)
        if m.joined_on <= assembly_day
        and (queries.standing(m, assembly_day).in_good_standing or index % 4 == 0)
    ]
    meetings.mark_present(assembly, member_ids=came, method="list", actor=admin)
    if queries.quorum(assembly).reached and came:
        meetings.add_resolution(
            assembly,
            meetings.ResolutionInput(
                text="Dues stay at 120 rupees a year; members who cannot pay may ask the committee for time.",
                votes_for=max(len(came) - 3, 1),
                votes_against=min(2, len(came) - 1),
                abstaining=1 if len(came) > 3 else 0,
            ),
            actor=admin,
        )
    if elected:
        meetings.add_action_item(
            assembly,
            meetings.ActionItemInput(
                text="Write to the district labour office about the unpaid piece rates",
                owner_id=elected[1 if len(elected) > 1 else 0].pk,
                deadline=today + timedelta(days=10),
            ),
            actor=admin,
        )
    meetings.save_minutes(
        assembly,
        text=(
            "The president opened the assembly and welcomed the members.\n\n"
            "The secretary reported on the year: new members, two grievances settled with the work giver, "
            "and the training on piece rates.\n\n"
            "The treasurer presented the dues collected. The assembly kept the dues as they are.\n\n"
            "The office-bearers were elected by show of hands for three years."
        ),
        actor=admin,
    )
    version = meetings.freeze_minutes(assembly, actor=admin)
    executive = meetings.call_meeting(
        union,
        meetings.MeetingInput(
            kind="executive",
            title="Executive committee",
            held_on=today - timedelta(days=15),
            agenda="Minutes of the AGM",
        ),
        actor=admin,
    )
    meetings.approve_minutes(version, at_meeting=executive, actor=admin)
    for payment in DuesPayment.objects.filter(organization=union).order_by("paid_on", "pk")[:5]:
        receipts.issue_receipt(payment, actor=admin)
    return [f"demo-union: rules, {len(elected)} office-bearers, a general assembly with {len(came)} present"]
