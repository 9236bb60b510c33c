"""Demo advocacy: the network's public campaign for Convention 177 in India and Kenya, with its
demands, targets and actions, the union and the cooperative taking part. (The legal tracker's C177
data is not demo data: a migration loads it everywhere.) Idempotent."""

from datetime import timedelta

from django.utils import timezone

from doorstep.organizations.models import Organization, User

from . import services
from .models import Campaign


def load() -> list[str]:
    network = Organization.objects.get(slug="demo-network")
    if Campaign.objects.filter(organization=network).exists():
        return []
    editor = User.objects.get(username="netadmin")
    today = timezone.localdate()
    campaign = services.save_campaign(
        network,
        data={
            "title": "Ratify C177: homework is work",
            "summary": "Homeworkers in India and Kenya ask their governments to ratify the ILO Home Work "
            "Convention, 1996 (No. 177), and to cover homeworkers by minimum wage and social security law.",
            "status": "active",
            "starts_on": today - timedelta(days=120),
            "is_public": True,
            "participants": list(Organization.objects.filter(slug__in=["demo-union", "demo-cooperative"])),
        },
        actor=editor,
    )
    for text in (
        "Ratify ILO Convention 177 on home work.",
        "Register employers and intermediaries who give out home work, as Recommendation 184 asks.",
        "Cover homeworkers by the minimum wage, with fair piece rates.",
        "Include homeworkers in social security schemes.",
    ):
        services.add_demand(campaign, text=text, actor=editor)
    india = services.add_target(
        campaign,
        data=services.TargetInput(kind="government", name="Ministry of Labour and Employment", country="IN"),
        actor=editor,
    )
    kenya = services.add_target(
        campaign,
        data=services.TargetInput(
            kind="government", name="Ministry of Labour and Social Protection", country="KE"
        ),
        actor=editor,
    )
    services.add_action(
        campaign,
        data=services.ActionInput(
            on=today - timedelta(days=90),
            kind="letter",
            description="Letter with 1,200 signatures asking for ratification.",
            outcome="Acknowledged; a meeting was offered.",
            target=india,
        ),
        actor=editor,
    )
    services.add_action(
        campaign,
        data=services.ActionInput(
            on=today - timedelta(days=40),
            kind="meeting",
            description="Meeting with the labour commissioner, with evidence from members' passbooks.",
            target=kenya,
        ),
        actor=editor,
    )
    return ["campaigns: 1 public campaign", *_report(network, editor)]


def _report(network, editor) -> list[str]:
    """A draft of observations to the ILO on India, with its first version saved."""
    report = services.save_report(
        network,
        data={"title": "Observations on homework in India", "convention": "C177", "country": "IN"},
        actor=editor,
    )
    for data in (
        {
            "kind": "text",
            "heading": "Who we are",
            "body": "A regional network of organizations of homeworkers. These observations draw on "
            "the records our affiliates keep of their members' work and pay.",
        },
        {"kind": "legal", "heading": "The law in India"},
        {"kind": "evidence", "heading": "Our members by sector", "dataset": "members", "group_by": "sector"},
        {"kind": "evidence", "heading": "Pay and payment delays", "dataset": "work", "group_by": "sector"},
        {
            "kind": "testimony",
            "heading": "In her words",
            "body": "We are paid by the piece and wait two months for the money. If we complain, the work "
            "goes to someone else.",
            "speaker": "an embroiderer in Ahmedabad",
        },
        {
            "kind": "demands",
            "heading": "We ask the Committee",
            "body": "To ask the Government to ratify Convention 177.\n\nTo ask how employers and "
            "intermediaries who give out home work are registered.",
        },
    ):
        services.add_report_section(report, data=data, actor=editor)
    services.save_version(report, note="First draft", actor=editor)
    return ["reports: 1 draft to the ILO with a version"]
