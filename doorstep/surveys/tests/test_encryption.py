"""Encrypted forms: a phone encrypts with the form's public key (ODK's format, made here the way ODK
Collect makes it); Doorstep keeps what it received, and the decrypt command, given the private key,
turns it into a normal submission."""

import base64
import io

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from doorstep.core import vault
from doorstep.core.models import AuditEvent
from doorstep.surveys import encryption, services
from doorstep.surveys.models import Submission

from .conftest import MAPPING_MD, submission_xml

pytestmark = pytest.mark.django_db


def _keys():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private, base64.b64encode(public_der).decode(), pem


@pytest.fixture
def encrypted_form(world):
    private, public_b64, pem = _keys()
    md = MAPPING_MD.replace(
        "| | form_id | version | form_title | name |",
        "| | form_id | version | form_title | name | public_key |",
    )
    md = md.replace(
        "| | homeworker_mapping | 2026-11-1 | Homeworker mapping | mapping |",
        f"| | homeworker_mapping | 2026-11-1 | Homeworker mapping | mapping | {public_b64} |",
    )
    version = services.upload_form(world.org_a, filename="mapping.md", data=md.encode(), actor=world.admin_a)
    assert f'base64RsaPublicKey="{public_b64}"' in version.xml
    services.set_state(version.form, "open", actor=world.admin_a)
    _app_user, raw = services.create_app_user(world.org_a, name="phone", actor=world.admin_a)
    return version.form, private, pem, f"/openrosa/union-a/key/{raw}/"


def _send(base, manifest: bytes, files: dict[str, bytes]):
    upload = {"xml_submission_file": SimpleUploadedFile("submission.xml", manifest, content_type="text/xml")}
    for name, data in files.items():
        upload[name] = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return Client().post(base + "submission", upload)


def _encrypted(private, instance="uuid:enc-1"):
    return encryption.encrypt(
        submission_xml(instance),
        {"label.jpg": b"\xff\xd8 a photo of a label"},
        form_id="homeworker_mapping",
        version="2026-11-1",
        instance_id=instance,
        public_key=private.public_key(),
    )


def test_an_encrypted_submission_is_kept_then_decrypted_with_the_private_key(
    world, encrypted_form, tmp_path, register
):
    form, private, pem, base = encrypted_form
    register(full_name="Sunita Devi")
    services.set_member_field(form, "member_no", actor=world.admin_a)
    manifest, files = _encrypted(private)
    assert _send(base, manifest, files).status_code == 201
    stored = Submission.objects.get()
    assert stored.encrypted and stored.member is None
    assert sorted(stored.attachments.values_list("name", flat=True)) == [
        "label.jpg.enc",
        "submission.xml.enc",
    ]
    assert services.reveal([stored], actor=world.admin_a, reason="test")[stored.pk] == {
        "meta/instanceID": "uuid:enc-1"
    }
    page = Client()
    page.force_login(world.admin_a)
    assert "encrypted" in page.get(f"/orgs/union-a/surveys/forms/{form.pk}/submissions/").content.decode()

    key_file = tmp_path / "form.pem"
    key_file.write_bytes(pem)
    out = io.StringIO()
    call_command("decrypt_submissions", str(form.pk), "--as", "alice", "--key", str(key_file), stdout=out)
    assert "1 submission(s) decrypted" in out.getvalue()
    stored.refresh_from_db()
    record = services.reveal([stored], actor=world.admin_a, reason="test")[stored.pk]
    assert not stored.encrypted and record["name"] == "Sunita Devi" and len(record["giver"]) == 2
    assert stored.member is not None and stored.member.number == 1
    photo = stored.attachments.get()
    assert photo.name == "label.jpg" and photo.content_type == "image/jpeg"
    assert services.open_attachment(photo, actor=world.admin_a) == b"\xff\xd8 a photo of a label"
    xml = vault.open_sealed_bytes(stored.subject_key, bytes(stored.sealed_xml), purpose=services.XML_PURPOSE)
    assert xml == submission_xml("uuid:enc-1")
    assert AuditEvent.objects.filter(action="submission.decrypted").count() == 1


def test_a_wrong_key_a_changed_file_or_a_missing_one_leave_the_submission_as_it_was(
    world, encrypted_form, tmp_path
):
    form, private, pem, base = encrypted_form
    manifest, files = _encrypted(private, "uuid:enc-2")
    files["submission.xml.enc"] = files["submission.xml.enc"][:-1] + bytes(
        [files["submission.xml.enc"][-1] ^ 1]
    )
    _send(base, manifest, files)
    manifest3, files3 = _encrypted(private, "uuid:enc-3")
    _send(base, manifest3, {"label.jpg.enc": files3["label.jpg.enc"]})  # the XML has not arrived yet

    other_pem = _keys()[2]
    (tmp_path / "other.pem").write_bytes(other_pem)
    with pytest.raises(CommandError, match="nothing was decrypted"):
        call_command(
            "decrypt_submissions", str(form.pk), "--as", "alice", "--key", str(tmp_path / "other.pem")
        )
    (tmp_path / "form.pem").write_bytes(pem)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "decrypt_submissions",
            str(form.pk),
            "--as",
            "alice",
            "--key",
            str(tmp_path / "form.pem"),
            stderr=err,
        )
    assert "uuid:enc-2: " in err.getvalue() and "files not received yet: submission.xml.enc" in err.getvalue()
    assert Submission.objects.filter(encrypted=True).count() == 2

    # The missing file arrives (ODK Collect's next request): now it decrypts.
    _send(base, manifest3, files3)
    out = io.StringIO()
    call_command(
        "decrypt_submissions",
        str(form.pk),
        "--as",
        "alice",
        "--key",
        str(tmp_path / "form.pem"),
        stdout=out,
        stderr=err,
    )
    assert "1 submission(s) decrypted, 1 left as they were" in out.getvalue()
    assert not Submission.objects.get(instance_id="uuid:enc-3").encrypted

    (tmp_path / "junk.pem").write_bytes(b"not a key")
    with pytest.raises(CommandError, match="not a usable PEM private key"):
        call_command(
            "decrypt_submissions", str(form.pk), "--as", "alice", "--key", str(tmp_path / "junk.pem")
        )
    with pytest.raises(CommandError, match="cannot read the key"):
        call_command(
            "decrypt_submissions", str(form.pk), "--as", "alice", "--key", str(tmp_path / "absent.pem")
        )
