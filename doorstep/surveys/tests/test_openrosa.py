"""The OpenRosa cycle exactly as ODK Collect drives it over HTTP: list forms, download the form and
its manifest, HEAD the submission URL, then POST multipart; with an app user's token and with Basic
credentials. Idempotent on instanceID; edits; bad input answered with the right status, never 500."""

import base64
import re
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from doorstep.core import analytics
from doorstep.core.models import AuditEvent
from doorstep.surveys import services
from doorstep.surveys.models import AppUser, Attachment, Submission

from .conftest import MAPPING_MD, submission_xml


@pytest.fixture
def device(world, mapping_form):
    services.set_state(mapping_form, "open", actor=world.admin_a)
    app_user, raw = services.create_app_user(world.org_a, name="Meena's phone", actor=world.admin_a)
    return app_user, f"/openrosa/union-a/key/{raw}/"


def _post(client, base, xml, **attachments):
    files = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, content_type="text/xml")}
    for name, data in attachments.items():
        files[name] = SimpleUploadedFile(name.replace("_", "."), data, content_type="image/jpeg")
    return client.post(base + "submission", files)


def test_the_collect_cycle_with_a_token(world, device, mapping_form):
    app_user, base = device
    client = Client()
    listing = client.get(base + "formList")
    assert listing.status_code == 200 and listing["X-OpenRosa-Version"] == "1.0" and listing["Date"]
    body = listing.content.decode()
    assert "<formID>homeworker_mapping</formID>" in body and "<version>2026-11-1</version>" in body
    assert re.search(r"<hash>md5:[0-9a-f]{32}</hash>", body) and "<manifestUrl>" not in body
    download = re.search(r"<downloadUrl>http://testserver(.+?)</downloadUrl>", body).group(1)
    xform = client.get(download)
    assert xform.status_code == 200 and b"homeworker_mapping" in xform.content
    head = client.head(base + "submission")
    assert head.status_code == 204 and head["X-OpenRosa-Accept-Content-Length"] == str(100 * 1024 * 1024)
    sent = _post(client, base, submission_xml(), label_jpg=b"\xff\xd8 a photo")
    assert sent.status_code == 201 and "submit_success" in sent.content.decode()
    stored = Submission.objects.get()
    assert stored.app_user == app_user and stored.attachments_expected == ["label.jpg"]
    assert b"Sunita" not in bytes(stored.sealed_data) and b"Sunita" not in bytes(stored.sealed_xml)
    record = services.reveal([stored], actor=world.admin_a, reason="test")[stored.pk]
    assert record["name"] == "Sunita Devi" and record["work/sector"] == "embroidery"
    assert record["giver"] == [
        {"giver_name": "Agent 0", "months": "3"},
        {"giver_name": "Agent 1", "months": "4"},
    ]
    assert record["meta/instanceID"] == "uuid:0b3f6a3e-5a7e-4b7e-9a54-6c8c3f1d2a01"
    # The phone retries: still one submission; a second request carrying another file adds it.
    assert _post(client, base, submission_xml(), label_jpg=b"\xff\xd8 a photo").status_code == 201
    assert _post(client, base, submission_xml(), other_jpg=b"\xff\xd8 more").status_code == 201
    assert Submission.objects.count() == 1 and Attachment.objects.count() == 2
    # A token belongs to one organization: on another's address it opens nothing.
    other = base.replace("/openrosa/union-a/", "/openrosa/coop-b/")
    assert client.get(other + "formList").status_code == 401
    # Revoked: 401 at once.
    services.revoke_app_user(app_user, actor=world.admin_a)
    assert client.get(base + "formList").status_code == 401
    assert _post(client, base, submission_xml("uuid:other")).status_code == 401


def test_media_appear_in_the_manifest(world, device, mapping_form):
    _app_user, base = device
    services.attach_media(mapping_form.latest, name="sectors.csv", data=b"name,label\n", actor=world.admin_a)
    body = Client().get(base + "formList").content.decode()
    manifest_url = re.search(r"<manifestUrl>http://testserver(.+?)</manifestUrl>", body).group(1)
    manifest = Client().get(manifest_url).content.decode()
    assert "<filename>sectors.csv</filename>" in manifest and "<hash>md5:" in manifest
    media_url = re.search(r"<downloadUrl>http://testserver(.+?)</downloadUrl>", manifest).group(1)
    assert Client().get(media_url).content == b"name,label\n"


def test_an_edit_is_a_new_version_of_the_record(world, device):
    _app_user, base = device
    client = Client()
    _post(client, base, submission_xml("uuid:first"))
    edited = _post(client, base, submission_xml("uuid:second", deprecated="uuid:first", giver_count=1))
    assert edited.status_code == 201
    first, second = Submission.objects.order_by("pk")
    assert (first.current, second.current, second.root_instance_id) == (False, True, "uuid:first")


def test_basic_credentials(world, mapping_form):
    services.set_state(mapping_form, "open", actor=world.admin_a)

    def basic(username, password):
        raw = base64.b64encode(f"{username}:{password}".encode()).decode()
        return Client(headers={"Authorization": f"Basic {raw}"})

    assert basic("olga", PASSWORD).get("/openrosa/union-a/formList", secure=True).status_code == 200
    plain = basic("olga", PASSWORD).get("/openrosa/union-a/formList")  # production settings, plain HTTP
    assert plain.status_code == 403 and "only over HTTPS" in plain.content.decode()
    files = {
        "xml_submission_file": SimpleUploadedFile("submission.xml", submission_xml(), content_type="text/xml")
    }
    sent = basic("olga", PASSWORD).post("/openrosa/union-a/submission", files, secure=True)
    assert sent.status_code == 201 and Submission.objects.get().submitted_by == world.organizer_a
    wrong = basic("olga", "nope").get("/openrosa/union-a/formList", secure=True)
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"] == 'Basic realm="Doorstep"'
    anonymous = Client().get("/openrosa/union-a/formList", secure=True)
    assert anonymous.status_code == 401 and "WWW-Authenticate" in anonymous
    # Another organization's admin, and a worker (not staff): the organization is not theirs to know.
    assert basic("bob", PASSWORD).get("/openrosa/union-a/formList", secure=True).status_code == 404
    assert basic("wanja", PASSWORD).get("/openrosa/union-a/formList", secure=True).status_code == 404


BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<mapping id="homeworker_mapping"><name>&lol2;</name>
<meta><instanceID>uuid:bomb</instanceID></meta></mapping>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<mapping id="homeworker_mapping"><name>&e;</name><meta><instanceID>uuid:ext</instanceID></meta></mapping>"""


@pytest.mark.parametrize(
    ("xml", "status", "words"),
    [
        (b"<mapping id='homeworker_mapping'><name>unclosed</mapping>", 400, "not well-formed"),
        (b"<mapping id='homeworker_mapping'><name>x</name></mapping>", 400, "no meta/instanceID"),
        (b"<mapping><meta><instanceID>uuid:x</instanceID></meta></mapping>", 400, "does not say which form"),
        (BOMB, 400, "refuses"),
        (EXTERNAL, 400, "refuses"),
        (
            b"<other id='no_such_form'><meta><instanceID>uuid:y</instanceID></meta></other>",
            404,
            "no form with that form ID",
        ),
    ],
)
def test_bad_submissions(world, device, xml, status, words):
    _app_user, base = device
    response = _post(Client(), base, xml)
    assert response.status_code == status and words in response.content.decode()
    assert response["X-OpenRosa-Version"] == "1.0"
    assert not Submission.objects.exists()


def test_closed_forms_wrong_tokens_and_oversized_files(world, device, mapping_form, monkeypatch):
    _app_user, base = device
    assert _post(Client(), "/openrosa/union-a/key/dsa_wrong/", submission_xml()).status_code == 401
    assert Client().post(base + "submission").status_code == 400  # no xml_submission_file
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 10)
    too_big = _post(Client(), base, submission_xml(), label_jpg=b"\xff\xd8" + b"x" * 20)
    assert too_big.status_code == 413
    services.set_state(mapping_form, "closed", actor=world.admin_a)
    closed = _post(Client(), base, submission_xml())
    assert closed.status_code == 403 and "not accepting" in closed.content.decode()
    assert "homeworker_mapping" not in Client().get(base + "formList").content.decode()
    assert not Submission.objects.exists()


def test_linked_to_the_member_and_shown_to_staff(world, device, mapping_form, register, login, api):
    member = register("Sunita Devi")
    services.set_member_field(mapping_form, "member_no", actor=world.admin_a)
    _app_user, base = device
    _post(Client(), base, submission_xml(), label_jpg=b"\xff\xd8 a photo")
    stored = Submission.objects.get()
    assert stored.member == member
    client = login(world.organizer_a)
    listing = client.get(f"/orgs/union-a/surveys/forms/{mapping_form.pk}/submissions/").content.decode()
    assert "Sunita Devi" in listing
    detail = client.get(f"/orgs/union-a/surveys/submissions/{stored.pk}/").content.decode()
    assert "Piece rate" in detail and "Agent 1" in detail
    attachment = Attachment.objects.get()
    assert client.get(f"/orgs/union-a/surveys/attachments/{attachment.pk}/").content == b"\xff\xd8 a photo"
    body = api(world.organizer_a).get(f"/api/v1/forms/{mapping_form.pk}/submissions").json()
    assert body["items"][0]["data"]["work/rate"] == "2.5" and body["items"][0]["attachments"] == ["label.jpg"]
    assert AuditEvent.objects.filter(action="submission.read").count() == 3


@pytest.mark.postgres
def test_the_same_instance_racing_from_several_threads_makes_one_record(committed_db, world, mapping_form):
    services.set_state(mapping_form, "open", actor=world.admin_a)
    _app_user, raw = services.create_app_user(world.org_a, name="racer", actor=world.admin_a)
    barrier = threading.Barrier(4)
    statuses = []

    def send():
        try:
            barrier.wait()
            statuses.append(_post(Client(), f"/openrosa/union-a/key/{raw}/", submission_xml()).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201, 201, 201, 201]
    assert Submission.objects.count() == 1


def test_her_submissions_follow_her_rights(world, device, mapping_form, register, login):
    import io
    import json
    import zipfile

    from doorstep.core.models import SubjectKey
    from doorstep.members.services import rights

    member = register("Sunita Devi")
    services.set_member_field(mapping_form, "member_no", actor=world.admin_a)
    _app_user, base = device
    _post(Client(), base, submission_xml("uuid:a"), label_jpg=b"\xff\xd8 a photo")
    _post(Client(), base, submission_xml("uuid:b", deprecated="uuid:a"))
    archive = zipfile.ZipFile(
        io.BytesIO(login(world.organizer_a).get(f"/orgs/union-a/members/{member.pk}/export/").content)
    )
    answers = json.loads(archive.read("member.json"))["surveys.submissions"]
    assert [a["instance_id"] for a in answers] == ["uuid:a", "uuid:b"] and answers[0]["answers"][
        "name"
    ] == "Sunita Devi"
    keys = list(Submission.objects.values_list("subject_key_id", flat=True))
    rights.erase_member(member, actor=world.admin_a)
    assert not Submission.objects.exists() and not Attachment.objects.exists()
    assert not SubjectKey.objects.filter(pk__in=keys).exists()


def test_summary_counts_by_hand(world, device, mapping_form, login):
    _app_user, base = device
    for i in range(3):
        xml = submission_xml(f"uuid:s{i}", giver_count=i + 1)
        if i == 2:
            xml = xml.replace(
                b"<sector>embroidery</sector><rate>2.5</rate>", b"<sector>beadwork</sector><rate>4.5</rate>"
            )
        _post(Client(), base, xml)
    client = login(world.organizer_a)
    url = f"/orgs/union-a/surveys/forms/{mapping_form.pk}/summary/"
    assert "being prepared" in client.get(url).content.decode()  # before the engine's first refresh
    analytics.refresh()
    page = client.get(url).content.decode()
    # sector: embroidery 2 of 3 (66.7 %), beadwork 1 (33.3 %); rate median of 2.5, 2.5, 4.5 = 2.5
    assert "2 (66.7%)" in page and "1 (33.3%)" in page
    assert "Median 2.5; from 2.5 to 4.5." in page
    # months inside the repeat: 1 + 2 + 3 = 6 answers across the three submissions
    assert "6 answers of 3" in page and "3 submissions" in page and "Figures as of" in page
    # Counts and medians come from the engine's answers: no submission was opened to show them.
    assert not AuditEvent.objects.filter(action="submission.read", metadata__reason="summary").exists()


def test_the_summary_counts_new_submissions_before_the_engine_refreshes(world, device, mapping_form, login):
    _app_user, base = device
    _post(Client(), base, submission_xml("uuid:first"))
    analytics.refresh()
    for i in range(2):
        _post(Client(), base, submission_xml(f"uuid:late{i}"))
    page = login(world.organizer_a).get(f"/orgs/union-a/surveys/forms/{mapping_form.pk}/summary/")
    html = page.content.decode()
    assert "3 submissions" in html and "1 submission " not in html
    assert "The figures below count 1 of them, until the next refresh." in html


def test_submissions_filtered_by_phone_and_date(world, device, login):
    app_user, base = device
    _post(Client(), base, submission_xml("uuid:p1"))
    services.receive(world.org_a, xml=submission_xml("uuid:p2"), files={}, user=world.admin_a)
    form_id = Submission.objects.first().form_id
    client = login(world.organizer_a)
    page = client.get(
        f"/orgs/union-a/surveys/forms/{form_id}/submissions/", {"app_user": app_user.pk}
    ).content.decode()
    assert "1 submission" in page
    later = client.get(f"/orgs/union-a/surveys/forms/{form_id}/submissions/", {"received_from": "2999-01-01"})
    assert "0 submissions" in later.content.decode()
    by_alice = client.get(
        f"/orgs/union-a/surveys/forms/{form_id}/submissions/", {"submitted_by": world.admin_a.pk}
    )
    assert "1 submission" in by_alice.content.decode()


def test_submissions_filtered_by_an_answer_page_by_page(world, login, api, mapping_form, monkeypatch):
    services.set_state(mapping_form, "open", actor=world.admin_a)
    for i in range(7):
        xml = submission_xml(f"uuid:s{i}", giver_count=1).replace(
            b"<sector>embroidery</sector>",
            b"<sector>beadwork</sector>" if i % 2 else b"<sector>embroidery</sector>",
        )
        services.receive(
            world.org_a, xml=xml.replace(b"Agent 0", f"Agent {i}".encode()), files={}, user=world.admin_a
        )
    monkeypatch.setattr("doorstep.surveys.views.PAGE_SIZE", 2)
    client = login(world.organizer_a)
    url = f"/orgs/union-a/surveys/forms/{mapping_form.pk}/submissions/"
    first = client.get(url, {"question": "work/sector", "op": "is", "value": "Beadwork"})
    page = first.content.decode()
    assert "2 matching answers shown" in page and "embroidery" not in page
    second = client.get(f"{url}?{first.context['next_query']}").content.decode()
    assert "1 matching answer shown" in second and "beadwork" in second
    # Inside a repeat, and "contains".
    inside = client.get(
        url, {"question": "giver/giver_name", "op": "contains", "value": "agent 6"}
    ).content.decode()
    assert "1 matching answer shown" in inside and "Agent 6" in inside
    assert client.get(url, {"question": "work/sector", "value": ""}).status_code == 422  # what to look for?
    event = AuditEvent.objects.filter(action="submission.searched").last()
    assert event.metadata["question"] == "giver/giver_name" and "agent" not in str(event.metadata).lower()
    # The API filters the same way.
    body = (
        api(world.organizer_a)
        .get(f"/api/v1/forms/{mapping_form.pk}/submissions", {"question": "work/sector", "value": "beadwork"})
        .json()
    )
    assert [item["instance_id"] for item in body["items"]] == ["uuid:s5", "uuid:s3", "uuid:s1"]


def test_who_may_fill_a_form(world, device, mapping_form, login, api):
    _app_user, base = device
    raw = base64.b64encode(f"olga:{PASSWORD}".encode()).decode()
    staff = Client(headers={"Authorization": f"Basic {raw}"})

    def listed(client, root):
        return "homeworker_mapping" in client.get(root + "formList", secure=True).content.decode()

    # Enrolled phones only: staff logins neither see nor fill it.
    page = login(world.admin_a).post(
        f"/orgs/union-a/surveys/forms/{mapping_form.pk}/",
        {"action": "state", "state": "open", "fillers": "devices"},
    )
    assert page.status_code == 302
    assert listed(Client(), base) and not listed(staff, "/openrosa/union-a/")
    assert staff.get(f"/openrosa/union-a/forms/{mapping_form.pk}/form.xml", secure=True).status_code == 404
    files = {
        "xml_submission_file": SimpleUploadedFile(
            "s.xml", submission_xml("uuid:staff"), content_type="text/xml"
        )
    }
    refused = staff.post("/openrosa/union-a/submission", files, secure=True)
    assert refused.status_code == 403 and "only on enrolled phones" in refused.content.decode()
    assert _post(Client(), base, submission_xml("uuid:phone")).status_code == 201

    # Staff only, through the API: the phone is refused.
    body = api(world.admin_a).patch(
        f"/api/v1/forms/{mapping_form.pk}", {"fillers": "staff"}, content_type="application/json"
    )
    assert body.status_code == 200 and body.json()["fillers"] == "staff"
    assert not listed(Client(), base) and listed(staff, "/openrosa/union-a/")
    assert _post(Client(), base, submission_xml("uuid:phone2")).status_code == 403
    bad = api(world.admin_a).patch(
        f"/api/v1/forms/{mapping_form.pk}", {"fillers": "everyone"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert Submission.objects.count() == 1


# What a 201 means, what a retry does, what 409 means --------------------------------------------------


@pytest.fixture
def other_form(world):
    """A second open form of the same organization (form ID ``other_mapping``)."""
    markdown = MAPPING_MD.replace("homeworker_mapping |", "other_mapping |")
    version = services.upload_form(world.org_a, filename="o.md", data=markdown.encode(), actor=world.admin_a)
    services.set_state(version.form, "open", actor=world.admin_a)
    return version.form


def _stored_record(world, instance_id):
    stored = Submission.objects.get(instance_id=instance_id)
    return services.reveal([stored], actor=world.admin_a, reason="test")[stored.pk]


def test_rejects_the_same_instance_with_other_content(world, device):
    _app_user, base = device
    assert _post(Client(), base, submission_xml()).status_code == 201
    changed = _post(Client(), base, submission_xml().replace(b"Sunita Devi", b"Someone else"))
    assert changed.status_code == 409 and changed["X-OpenRosa-Version"] == "1.0"
    assert "<OpenRosaResponse" in changed.content.decode() and "different" in changed.content.decode()
    assert Submission.objects.count() == 1
    assert _stored_record(world, "uuid:0b3f6a3e-5a7e-4b7e-9a54-6c8c3f1d2a01")["name"] == "Sunita Devi"


def test_rejects_the_same_instance_for_another_form(world, device, other_form):
    _app_user, base = device
    assert _post(Client(), base, submission_xml()).status_code == 201
    for_other = submission_xml().replace(b'id="homeworker_mapping"', b'id="other_mapping"')
    refused = _post(Client(), base, for_other)
    assert refused.status_code == 409 and "another form" in refused.content.decode()
    assert list(Submission.objects.values_list("form__xml_form_id", flat=True)) == ["homeworker_mapping"]


def test_a_retry_of_an_edit_adds_nothing(world, device):
    _app_user, base = device
    _post(Client(), base, submission_xml("uuid:first"))
    edit = submission_xml("uuid:second", deprecated="uuid:first", giver_count=1)
    assert _post(Client(), base, edit).status_code == 201
    again = _post(Client(), base, edit)
    assert again.status_code == 201 and "already received" in again.content.decode()
    assert list(Submission.objects.order_by("pk").values_list("instance_id", "current")) == [
        ("uuid:first", False),
        ("uuid:second", True),
    ]


def test_rejects_an_edit_that_arrives_before_its_original(world, device):
    _app_user, base = device
    early = _post(Client(), base, submission_xml("uuid:second", deprecated="uuid:first", giver_count=1))
    assert early.status_code == 409 and "has not arrived" in early.content.decode()
    assert not Submission.objects.exists()
    # The phone keeps it and sends it again after the original: both stored, the edit current.
    assert _post(Client(), base, submission_xml("uuid:first")).status_code == 201
    again = _post(Client(), base, submission_xml("uuid:second", deprecated="uuid:first", giver_count=1))
    assert again.status_code == 201
    assert list(Submission.objects.order_by("pk").values_list("instance_id", "current")) == [
        ("uuid:first", False),
        ("uuid:second", True),
    ]


def test_rejects_an_edit_of_another_forms_submission(world, device, other_form):
    _app_user, base = device
    _post(Client(), base, submission_xml("uuid:first"))
    edit = submission_xml("uuid:second", deprecated="uuid:first").replace(
        b'id="homeworker_mapping"', b'id="other_mapping"'
    )
    refused = _post(Client(), base, edit)
    assert refused.status_code == 409 and "another form" in refused.content.decode()
    assert list(Submission.objects.values_list("instance_id", "current")) == [("uuid:first", True)]


@pytest.mark.postgres
def test_racing_edits_of_one_version_leave_exactly_one_current(committed_db, world, mapping_form):
    """Four different edits of the same version, sent at once, for several records: every edit is
    kept (nothing dropped) and each record ends with exactly one current version."""
    services.set_state(mapping_form, "open", actor=world.admin_a)
    _app_user, raw = services.create_app_user(world.org_a, name="racer", actor=world.admin_a)
    base = f"/openrosa/union-a/key/{raw}/"
    records, editors = 6, 4
    statuses = []
    for record in range(records):
        assert _post(Client(), base, submission_xml(f"uuid:r{record}")).status_code == 201
        barrier = threading.Barrier(editors)

        def edit(record=record, barrier=barrier):
            def send(n):
                try:
                    barrier.wait()
                    xml = submission_xml(f"uuid:r{record}e{n}", deprecated=f"uuid:r{record}", giver_count=n)
                    statuses.append(_post(Client(), base, xml).status_code)
                finally:
                    connection.close()

            threads = [threading.Thread(target=send, args=(n,)) for n in range(editors)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        edit()
    assert statuses == [201] * (records * editors)
    for record in range(records):
        versions = Submission.objects.filter(root_instance_id=f"uuid:r{record}")
        assert versions.count() == 1 + editors
        assert versions.filter(current=True).count() == 1, f"record {record} forked"


def test_rejects_a_submission_nested_too_deep(world, device):
    _app_user, base = device
    depth = 50_000
    xml = (
        b"<mapping id='homeworker_mapping'>"
        + b"<g>" * depth
        + b"x"
        + b"</g>" * depth
        + b"<meta><instanceID>uuid:deep</instanceID></meta></mapping>"
    )
    response = _post(Client(), base, xml)
    assert response.status_code == 400 and "nested" in response.content.decode()
    assert not Submission.objects.exists()


def test_it_records_a_tokens_use_at_most_once_a_minute(world, device):
    app_user, base = device
    client = Client()
    assert client.get(base + "formList").status_code == 200
    app_user.refresh_from_db()
    first = app_user.last_used_at
    assert first is not None
    assert _post(client, base, submission_xml()).status_code == 201
    app_user.refresh_from_db()
    assert app_user.last_used_at == first  # fresh: not written again


def test_it_records_a_stale_tokens_use_again(world, device):
    app_user, base = device
    long_ago = timezone.now() - services.APP_USER_TOUCH_INTERVAL - timedelta(seconds=1)
    AppUser.objects.filter(pk=app_user.pk).update(last_used_at=long_ago)
    assert Client().get(base + "formList").status_code == 200
    app_user.refresh_from_db()
    assert app_user.last_used_at > long_ago


def test_a_submission_of_a_version_the_form_does_not_have_is_read_with_the_latest(world, device):
    _app_user, base = device
    sent = _post(Client(), base, submission_xml(version="1999-old"))
    assert sent.status_code == 201
    record = services.reveal([Submission.objects.get()], actor=world.admin_a, reason="test")
    assert next(iter(record.values()))["work/sector"] == "embroidery"
