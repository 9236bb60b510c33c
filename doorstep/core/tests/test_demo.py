from django.core.management import call_command
from django.test import Client

from doorstep.core import audit
from doorstep.organizations.models import Affiliation, Organization, RoleAssignment, User


def _counts():
    return (
        Organization.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        Affiliation.objects.count(),
    )


def test_demo_data_loads_once_and_only_once(db, capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first == (7, 8, 8, 3)  # three organizations only in the directory
    out = capsys.readouterr().out
    assert "password for all: doorstep-demo" in out
    assert audit.verify().ok


def test_demo_users_log_in_with_the_demo_password(db):
    call_command("load_demo")
    for username in ("admin", "orgadmin-a", "organizer-a", "organizer-b", "analyst", "company"):
        client = Client()
        assert (
            client.post("/accounts/login/", {"username": username, "password": "doorstep-demo"}).status_code
            == 302
        )
    union = Organization.objects.get(name="Demo Homeworkers Union")
    assert (union.country.code, union.kind) == ("IN", "union")
    assert Organization.objects.get(name="Demo Home-Based Workers Cooperative").country.code == "KE"
    network = Organization.objects.get(name="Demo Regional Network")
    assert sorted(a.member.slug for a in Affiliation.objects.filter(network=network)) == [
        "demo-cooperative",
        "demo-nepal-network",
        "demo-union",
    ]
