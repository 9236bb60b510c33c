"""The demo union's governance: rules, office-bearers, a past general assembly with approved minutes."""

from django.core.management import call_command

from doorstep.governance.models import Constitution, Meeting, MinutesVersion, OfficeTerm, Resolution


def test_the_demo_union_has_its_rules_office_bearers_and_a_past_assembly(db):
    call_command("load_demo")
    call_command("load_demo")
    assert Constitution.objects.filter(organization__slug="demo-union").count() == 1
    assert OfficeTerm.objects.filter(organization__slug="demo-union").count() == 3
    assembly = Meeting.objects.get(organization__slug="demo-union", kind="general_assembly")
    assert Resolution.objects.filter(meeting=assembly).exists()
    assert MinutesVersion.objects.get(meeting=assembly).approved_at_meeting is not None
