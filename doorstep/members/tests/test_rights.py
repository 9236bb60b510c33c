"""Her rights: a complete export, and an erasure that leaves nothing of her."""

import csv
import io
import json
import zipfile
from datetime import date

from django.apps import apps
from django.db import models

from doorstep.core import rights
from doorstep.core.models import AuditEvent, SubjectKey
from doorstep.members.models import ConsentEvent, DuesPayment, Member, MemberIdentifier, StatusChange
from doorstep.members.services import consent, dues


def _full_member(world, register):
    member = register(
        "Sunita Devi",
        phones=["+919812345678"],
        national_id="1234 5678",
        notes="Call after 6",
        group="Jagatpur group",
    )
    consent.record_consent(
        member,
        purpose="research",
        given=True,
        effective_on=date(2026, 1, 1),
        method="paper",
        actor=world.admin_a,
    )
    dues.record_dues(
        member, period="2026", amount="120", currency="INR", paid_on=date(2026, 2, 1), actor=world.admin_a
    )
    return member


def test_the_export_holds_everything_about_her(world, login, register):
    member = _full_member(world, register)
    response = login(world.organizer_a).get(f"/orgs/union-a/members/{member.pk}/export/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {
        "member.json",
        "members.profile.csv",
        "members.consents.csv",
        "members.dues.csv",
        "members.status_history.csv",
    } <= names
    data = json.loads(archive.read("member.json"))
    profile = data["members.profile"][0]
    assert profile["full_name"] == "Sunita Devi" and profile["phones"] == ["+919812345678"]
    assert profile["notes"] == "Call after 6" and profile["group"] == "Jagatpur group"
    assert data["members.consents"] == [
        {
            "purpose": "research",
            "company_id": None,
            "given": True,
            "effective_on": "2026-01-01",
            "method": "paper",
        }
    ]
    assert data["members.dues"][0]["amount"] == "120.00"
    assert "Sunita Devi" in archive.read("members.profile.csv").decode()
    assert AuditEvent.objects.filter(action="member.exported", object_id=str(member.pk)).exists()


def test_every_model_that_points_at_a_member_is_covered_by_a_rights_handler():
    """A new app that stores rows about a member must register an exporter and an eraser."""
    registered = {handler.app for handler in rights.handlers()}
    pointing = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Member:
                pointing.add(model._meta.app_label)
    assert pointing <= registered, (
        f"apps with rows about members but no rights handler: {pointing - registered}"
    )


def test_erasure_removes_her_everywhere_and_destroys_her_key(world, login, register):
    member = _full_member(world, register)
    other = register("Meena Kumari")
    key_id = member.subject_key_id
    client = login(world.admin_a)
    assert client.get(f"/orgs/union-a/members/{member.pk}/erase/").status_code == 200
    refused = client.post(f"/orgs/union-a/members/{member.pk}/erase/", {"confirm": "999"})
    assert refused.status_code == 200 and Member.objects.filter(pk=member.pk).exists()
    response = client.post(f"/orgs/union-a/members/{member.pk}/erase/", {"confirm": str(member.number)})
    assert response.status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not SubjectKey.objects.filter(pk=key_id).exists()
    for model in (MemberIdentifier, ConsentEvent, DuesPayment, StatusChange):
        assert not model.objects.filter(member_id=member.pk).exists()
    assert Member.objects.filter(pk=other.pk).exists()
    event = AuditEvent.objects.get(action="member.erased")
    assert (event.object_id, event.metadata) == (str(member.pk), {})


def test_an_organizer_cannot_erase(world, login, register):
    member = register()
    assert login(world.organizer_a).get(f"/orgs/union-a/members/{member.pk}/erase/").status_code == 403
    assert (
        login(world.organizer_a)
        .post(f"/orgs/union-a/members/{member.pk}/erase/", {"confirm": str(member.number)})
        .status_code
        == 403
    )
    assert Member.objects.filter(pk=member.pk).exists()


def test_her_export_neutralizes_text_that_would_run_as_a_formula(world, login, register):
    member = register('=HYPERLINK("https://evil.example","Pay")', notes="@SUM(1)", phones=["+919812345678"])
    response = login(world.organizer_a).get(f"/orgs/union-a/members/{member.pk}/export/")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    profile = next(csv.DictReader(io.StringIO(archive.read("members.profile.csv").decode())))
    assert profile["full_name"] == '\'=HYPERLINK("https://evil.example","Pay")'
    assert profile["notes"] == "'@SUM(1)"
    assert all(not value.startswith(("=", "@")) for value in profile.values())
