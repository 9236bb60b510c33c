"""Nothing is lost by one tap: a destructive action opens a second step that says what will be lost,
without JavaScript, and only its own button does it."""

import re

from doorstep.grievances.models import IntakeChannel
from doorstep.grievances.services import intake
from doorstep.organizations import services as org_services
from doorstep.organizations.models import RoleAssignment


def _outside_confirmations(html: str) -> str:
    return re.sub(r'<details class="confirm">.*?</details>', "", html, flags=re.S)


def _confirmation(html: str, label: str) -> str:
    for block in re.findall(r'<details class="confirm">.*?</details>', html, flags=re.S):
        if f"<summary>{label}</summary>" in block:
            return block
    raise AssertionError(f"no confirmation step for {label!r}")


def test_replacing_the_intake_link_takes_a_second_step_saying_posters_break(world, login):
    intake.open_channel(world.org_a, actor=world.organizer_a)
    html = login(world.organizer_a).get("/orgs/union-a/grievances/intake/").content.decode()
    step = _confirmation(html, "Replace with a new link")
    assert "printed" in step and 'name="action" value="open"' in step and "<form" in step
    assert 'value="open"' not in _outside_confirmations(html)
    assert 'value="close"' not in _outside_confirmations(html)


def test_the_second_step_does_what_it_says(world, login):
    old = intake.open_channel(world.org_a, actor=world.organizer_a)
    client = login(world.organizer_a)
    step = _confirmation(
        client.get("/orgs/union-a/grievances/intake/").content.decode(), "Replace with a new link"
    )
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', step))
    client.post("/orgs/union-a/grievances/intake/", {"action": fields["action"]})
    old.refresh_from_db()
    assert (
        not old.is_open and IntakeChannel.objects.filter(organization=world.org_a, is_open=True).count() == 1
    )


def test_revoking_a_sharing_agreement_takes_a_second_step(world, login):
    org_services.create_agreement(
        world.org_a,
        data={"recipient": world.network.pk, "purpose": "network_statistics", "data_kinds": ["members"]},
        actor=world.admin_a,
    )
    html = login(world.admin_a).get("/orgs/union-a/sharing/").content.decode()
    step = _confirmation(html, "Revoke now")
    assert 'name="agreement"' in step and "none of your figures" in step
    assert 'value="revoke"' not in _outside_confirmations(html)


def test_revoking_an_api_token_takes_a_second_step(world, login):
    client = login(world.organizer_a)
    org_services.issue_token(world.organizer_a, name="laptop", actor=world.organizer_a)
    html = client.get("/account/tokens/").content.decode()
    step = _confirmation(html, "Revoke")
    assert "stops working" in step
    assert "/revoke/" not in _outside_confirmations(html)


def test_deactivating_a_person_takes_a_second_step(world, login):
    assignment = RoleAssignment.objects.get(user=world.organizer_a, organization=world.org_a)
    html = login(world.admin_a).get(f"/orgs/union-a/people/{assignment.pk}/").content.decode()
    assert "what they recorded is kept" in _confirmation(html, "Deactivate in this organization")
    assert 'value="deactivate"' not in _outside_confirmations(html)
