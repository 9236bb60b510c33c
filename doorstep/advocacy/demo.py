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
        data={"kind": "government", "name": "Ministry of Labour and Employment", "country": "IN"},
        actor=editor,
    )
    kenya = services.add_target(
        campaign,
        data={"kind": "government", "name": "Ministry of Labour and Social Protection", "country": "KE"},
        actor=editor,
    )
    services.add_action(
        campaign,
        data={
            "on": today - timedelta(days=90),
            "kind": "letter",
            "description": "Letter with 1,200 signatures asking for ratification.",
            "outcome": "Acknowledged; a meeting was offered.",
            "target": india,
        },
        actor=editor,
    )
    services.add_action(
        campaign,
        data={
            "on": today - timedelta(days=40),
            "kind": "meeting",
            "description": "Meeting with the labour commissioner, with evidence from members' passbooks.",
            "target": kenya,
        },
        actor=editor,
    )
    return ["campaigns: 1 public campaign"]
