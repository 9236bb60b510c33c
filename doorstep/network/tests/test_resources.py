"""The resource library: files checked by their first bytes, links, unsafe HTML removed, clear
errors for unknown countries and languages, search and filters; members-only resources never reach
anyone outside the owner and its affiliates."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from doorstep.core.errors import ValidationError
from doorstep.core.models import AuditEvent
from doorstep.network.models import Resource, ResourceFile
from doorstep.network.services import resources

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx(with_macros=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        if with_macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


@pytest.fixture
def library(world):
    guide = resources.save_resource(
        world.network,
        data={
            "title": "Pocket guide to piece rates",
            "kind": "tool",
            "summary": "How to time the work<script>alert(1)</script>",
            "languages": "en, hi",
            "countries": "India, NP",
            "topics": ["pay", "organizing"],
        },
        upload=SimpleUploadedFile("guide.pdf", PDF),
        actor=world.network_admin,
    )
    internal = resources.save_resource(
        world.network,
        data={
            "title": "Strategy notes for affiliates",
            "kind": "training",
            "audience": "members",
            "link": "https://example.org/notes",
        },
        actor=world.network_admin,
    )
    return guide, internal


def test_members_only_resources_never_reach_outsiders(world, library, login, api):
    guide, internal = library
    anonymous = Client()
    page = anonymous.get("/resources/")
    assert b"Pocket guide to piece rates" in page.content and b"Strategy notes" not in page.content
    assert "public" in page["Cache-Control"]
    assert anonymous.get(f"/resources/{internal.pk}/").status_code == 404
    assert anonymous.get(f"/resources/{guide.pk}/").status_code == 200
    listed = anonymous.get("/api/v1/public/resources").json()["items"]
    assert [r["title"] for r in listed] == ["Pocket guide to piece rates"]
    assert anonymous.get(f"/api/v1/public/resources/{internal.pk}").status_code == 404
    assert anonymous.get("/api/v1/public/resources?q=strategy").json()["items"] == []
    # An affiliate's organizer and the network's own people see it; a company does not.
    olga = login(world.organizer_a)
    inside = olga.get("/resources/")
    assert b"Strategy notes" in inside.content and "private" in inside["Cache-Control"]
    assert olga.get(f"/resources/{internal.pk}/").status_code == 200
    assert [r["title"] for r in api(world.analyst).get("/api/v1/resources?q=strategy").json()["items"]] == [
        "Strategy notes for affiliates"
    ]
    claire = login(world.company_user)
    assert claire.get(f"/resources/{internal.pk}/").status_code == 404
    assert b"Strategy notes" not in claire.get("/resources/").content


def test_files_and_downloads(world, library):
    guide, _internal = library
    assert (
        guide.file_name == "guide.pdf"
        and guide.file_type == "application/pdf"
        and guide.file_size == len(PDF)
    )
    download = Client().get(f"/resources/{guide.pk}/file")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"].startswith("attachment")
    docx = resources.save_resource(
        world.network,
        data={"title": "Training plan", "kind": "training"},
        upload=SimpleUploadedFile("plan.docx", _docx()),
        actor=world.network_admin,
    )
    assert docx.file_name == "plan.docx"
    for name, content in (
        ("macro.docx", _docx(with_macros=True)),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("evil.pdf", b"MZ\x90\x00 a program"),
        ("empty.pdf", b""),
    ):
        with pytest.raises(ValidationError) as refused:
            resources.save_resource(
                world.network,
                data={"title": name, "kind": "guide"},
                upload=SimpleUploadedFile(name, content),
                actor=world.network_admin,
            )
        assert refused.value.errors[0].field == "file"
    assert Resource.objects.count() == 3 and ResourceFile.objects.count() == 2


def test_bad_input_is_refused_clearly_and_nothing_is_stored(world, login):
    client = login(world.admin_a)
    response = client.post(
        "/orgs/union-a/resources/",
        {
            "title": "Law",
            "kind": "law",
            "audience": "public",
            "countries": "India, Atlantis, ZZ",
            "languages": "en, klingon",
        },
    )
    assert response.status_code == 422
    assert (
        b"Unknown country: Atlantis, ZZ." in response.content
        and b"Unknown language: klingon." in response.content
    )
    assert b"Give a file or a link." not in response.content  # one error at a time where it helps
    response = client.post("/orgs/union-a/resources/", {"title": "Law", "kind": "law", "audience": "public"})
    assert response.status_code == 422 and b"Give a file or a link." in response.content
    assert not Resource.objects.exists()
    response = client.post(
        "/orgs/union-a/resources/",
        {
            "title": "Homework law",
            "kind": "law",
            "audience": "public",
            "countries": "india",
            "languages": "EN",
            "summary": '<p onmouseover="x()">The <a href="javascript:steal()">law</a></p><iframe></iframe>',
            "file": SimpleUploadedFile("law.pdf", PDF),
        },
    )
    assert response.status_code == 302
    saved = Resource.objects.get()
    assert saved.countries == ["IN"] and saved.languages == ["en"]
    assert (
        "onmouseover" not in saved.summary
        and "javascript" not in saved.summary
        and "iframe" not in saved.summary
    )
    assert AuditEvent.objects.filter(action="resource.saved", organization_id=world.org_a.pk).exists()


def test_search_and_filters(world, library):
    _guide, _internal = library
    resources.save_resource(
        world.org_b,
        data={
            "title": "Beadwork price list",
            "kind": "research",
            "languages": ["sw"],
            "countries": ["KE"],
            "link": "https://example.org/beads",
            "topics": ["marketing"],
        },
        actor=world.admin_b,
    )
    anonymous = Client()

    def titles(query):
        return [r["title"] for r in anonymous.get(f"/api/v1/public/resources?{query}").json()["items"]]

    assert titles("country=np") == ["Pocket guide to piece rates"]
    assert titles("language=sw") == ["Beadwork price list"]
    assert titles("topic=pay") == ["Pocket guide to piece rates"]
    assert titles("kind=research") == ["Beadwork price list"]
    assert titles("q=TIME") == ["Pocket guide to piece rates"]  # words of the summary too
    assert titles("organization=coop-b") == ["Beadwork price list"]
    page = anonymous.get("/resources/?country=KE")
    assert b"Beadwork price list" in page.content and b"Pocket guide" not in page.content
    assert anonymous.get("/resources/?country=ZZ").status_code == 200  # not on offer: a form error


def test_editing_and_deleting_through_pages_and_api(world, library, login, api):
    guide, _internal = library
    nadia = login(world.network_admin)
    response = nadia.post(
        f"/orgs/test-network/resources/{guide.pk}/",
        {"title": "Pocket guide (2nd edition)", "kind": "tool", "audience": "members", "countries": "IN"},
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.title == "Pocket guide (2nd edition)" and guide.file_size == len(PDF)  # the file is kept
    assert Client().get(f"/resources/{guide.pk}/file").status_code == 404  # now for members only
    bob = api(world.admin_b)
    assert (
        bob.patch(
            f"/api/v1/resources/{guide.pk}", {"title": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    created = api(world.admin_b).post(
        "/api/v1/resources",
        {
            "organization_id": world.org_b.pk,
            "data": '{"title": "Rates", "kind": "guide", "link": "https://e.org"}',
        },
    )
    assert created.status_code == 201 and created.json()["link"] == "https://e.org"
    bad = api(world.admin_b).post(
        "/api/v1/resources", {"organization_id": world.org_b.pk, "data": "not json"}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "data"
    gone = api(world.admin_b).delete(f"/api/v1/resources/{created.json()['id']}")
    assert gone.status_code == 204
    nadia.post(f"/orgs/test-network/resources/{guide.pk}/", {"action": "delete"})
    assert (
        not Resource.objects.filter(pk=guide.pk).exists()
        and not ResourceFile.objects.filter(resource_id=guide.pk).exists()
    )
