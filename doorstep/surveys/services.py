"""Every write about surveys: forms and their versions (XLSForm → XForm with pyxform), media files,
form states, Enketo links, app users; submissions received over OpenRosa, their audited reads and
search, decryption of encrypted ones; export jobs; and her rights over her submissions.

pyxform's errors reach the person as they are (they name the sheet and the row where pyxform knows
them), one per line; a form pyxform rejects stores nothing."""

import base64
import functools
import hashlib
import json
import mimetypes
import re
import secrets
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from pyxform import xls2xform

from doorstep.core import audit, spreadsheets, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.pagination import decode_cursor, encode_cursor
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.models import Member
from doorstep.organizations.models import Organization

from . import encryption, queries, tasks, xforms
from .models import (
    AppUser,
    Attachment,
    Export,
    Fillers,
    Form,
    FormState,
    FormVersion,
    MediaFile,
    Submission,
)

FORM_EXTENSIONS = (".xlsx", ".xls", ".xlsm", ".csv", ".md")
MAX_FORM_BYTES = 10 * 1024 * 1024
MAX_MEDIA_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MEDIA_TYPES = {
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/svg+xml",
    "audio/mpeg",
    "audio/ogg",
    "audio/wav",
    "video/mp4",
    "text/csv",
    "application/geo+json",
    "application/json",
    "application/xml",
    "text/xml",
}
ATTACHMENT_TYPES = MEDIA_TYPES | {
    "image/webp",
    "audio/amr",
    "audio/aac",
    "audio/mp4",
    "video/3gpp",
    "application/pdf",
}
XML_PURPOSE = "submission.xml"
DATA_PURPOSE = "submission.data"
# The columns a bulk write of new submissions fills (``core.bulk.insert_rows``), in the order of
# ``bulk_row``: the spreadsheet import and synthetic data write them the same way.
BULK_COLUMNS = (
    "organization",
    "form",
    "version",
    "instance_id",
    "root_instance_id",
    "deprecated_id",
    "current",
    "subject_key",
    "sealed_xml",
    "sealed_data",
    "member",
    "submitted_by",
    "source",
    "received_at",
    "attachments_expected",
)


def bulk_row(
    version,
    instance_id: str,
    key,
    *,
    sealed_xml: bytes,
    record: dict,
    member_id: int | None,
    submitted_by_id: int | None,
    source: str,
    received_at,
    attachments: list[str],
) -> tuple:
    """One new, current submission (its own first version) as a row of ``BULK_COLUMNS``, its answers
    sealed under ``key``."""
    return (
        version.form.organization_id,
        version.form_id,
        version.pk,
        instance_id,
        instance_id,
        "",
        True,
        key.id,
        sealed_xml,
        key.seal(record, purpose=DATA_PURPOSE),
        member_id,
        submitted_by_id,
        source,
        received_at,
        attachments,
    )


ATTACHMENT_PURPOSE = "submission.attachment"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


# Forms ----------------------------------------------------------------------------------------------


def _pyxform_messages(error: Exception) -> list[str]:
    text = str(error).strip() or error.__class__.__name__
    return [line.strip() for line in text.splitlines() if line.strip()]


def convert(filename: str, data: bytes) -> xforms.Converted:
    """Run pyxform on an uploaded XLSForm; ``ValidationError`` (code ``xlsform``) with pyxform's
    messages when it refuses it."""
    name = _SAFE_NAME.sub("_", Path(filename or "form.xlsx").name) or "form.xlsx"
    if not name.lower().endswith(FORM_EXTENSIONS):
        raise ValidationError.for_field(
            "file",
            _("Upload an XLSForm: a .xlsx, .xls, .csv or .md file."),
            code="not_xlsform",
        )
    if not data:
        raise ValidationError.for_field("file", _("The file is empty."), code="not_xlsform")
    if len(data) > MAX_FORM_BYTES:
        raise ValidationError.for_field("file", _("An XLSForm can be at most 10 MB."), code="too_large")
    if name.lower().endswith((".xlsx", ".xls")):
        try:
            spreadsheets.check(data)  # pyxform reads every cell of the sheet's declared area
        except spreadsheets.Unmeasurable:
            pass  # not a workbook at all: pyxform says so in its words

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            result = xls2xform.convert(xlsform=str(path))
        except Exception as error:
            raise ValidationError(
                message=_("pyxform could not turn this file into a form."),
                code="xlsform",
                errors=[FieldError("file", message) for message in _pyxform_messages(error)],
            ) from None
    return xforms.Converted.from_pyxform(result)


def upload_form(organization: Organization, *, filename: str, data: bytes, actor) -> FormVersion:
    """A new form, or a new version of the form with the same form id. A version string that this
    form already has is refused (phones would not know the form changed)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    converted = convert(filename, data)
    with transaction.atomic():
        form, created = Form.objects.select_for_update().get_or_create(
            organization=organization,
            xml_form_id=converted.form_id,
            defaults={"title": converted.title, "created_by": actor},
        )
        if not created and form.versions.filter(version=converted.version).exists():
            raise ValidationError.for_field(
                "file",
                _(
                    "This form already has version “%(version)s”. Change the version in the settings "
                    "sheet and upload it again."
                )
                % {"version": converted.version or _("(none)")},
                code="same_version",
            )
        form.title = converted.title
        form.save(update_fields=["title", "updated_at"])
        version = FormVersion.objects.create(
            organization=organization,
            form=form,
            version=converted.version,
            source_name=Path(filename).name[:200],
            source=data,
            xml=converted.xml,
            md5=hashlib.md5(converted.xml.encode(), usedforsecurity=False).hexdigest(),
            structure=converted.structure,
            warnings=converted.warnings,
            created_by=actor,
        )
        audit.record(
            "form.uploaded",
            actor=actor,
            organization=organization,
            obj=version,
            metadata={"form_id": form.pk, "version": converted.version},
        )
    return version


def _change(form: Form, field: str, value: str, action: str, actor) -> Form:
    with transaction.atomic():
        Form.objects.filter(pk=form.pk).update(**{field: value, "updated_at": timezone.now()})
        setattr(form, field, value)
        audit.record(
            action, actor=actor, organization=form.organization_id, obj=form, metadata={field: value}
        )
    return form


def set_state(form: Form, state: str, *, actor) -> Form:
    tenancy.require_role(actor, form.organization_id, STAFF_ROLES)
    if state not in FormState.values:
        raise ValidationError.for_field("state", _("Choose draft, open or closed."))
    return _change(form, "state", state, "form.state_changed", actor)


def set_fillers(form: Form, fillers: str, *, actor) -> Form:
    """Who may fill the form: enrolled phones, staff with their own login, or both."""
    tenancy.require_role(actor, form.organization_id, STAFF_ROLES)
    if fillers not in Fillers.values:
        raise ValidationError.for_field("fillers", _("Choose who may fill the form."))
    return _change(form, "fillers", fillers, "form.fillers_changed", actor)


class EnketoUnavailable(Exception):
    """Enketo is not configured, or did not answer as its API says."""


def enketo_link(form: Form, *, server_url: str, actor) -> str:
    """The Enketo web-form address of an open form, asked of the configured Enketo server
    (``POST /api/v2/survey`` with the organization's OpenRosa address and the form ID). Enketo then
    reads the form and sends submissions through the same OpenRosa endpoints as a phone, asking the
    person for her Doorstep login."""
    tenancy.require_role(actor, form.organization_id, STAFF_ROLES)
    if not settings.ENKETO_URL.startswith(("https://", "http://")):
        raise EnketoUnavailable(_("No Enketo server is configured (DOORSTEP_ENKETO_URL)."))
    if form.state != FormState.OPEN:
        raise EnketoUnavailable(_("Open the form first: Enketo fills only open forms."))
    body = urllib.parse.urlencode(
        {"server_url": server_url.rstrip("/"), "form_id": form.xml_form_id}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - an http(s) address, checked above
        f"{settings.ENKETO_URL}/api/v2/survey", data=body, method="POST"
    )
    token = base64.b64encode(f"{settings.ENKETO_API_KEY}:".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the configured server
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise EnketoUnavailable(
            _("Enketo refused the request (HTTP %(status)s).") % {"status": error.code}
        ) from None
    except (urllib.error.URLError, TimeoutError, ValueError):
        raise EnketoUnavailable(_("Enketo did not answer; try again later.")) from None
    url = answer.get("url") or answer.get("offline_url") or ""
    if not url.startswith(("https://", "http://")):
        raise EnketoUnavailable(_("Enketo's answer held no web-form address."))
    audit.record("form.enketo_opened", actor=actor, organization=form.organization_id, obj=form)
    return url


def set_member_field(form: Form, path: str, *, actor) -> Form:
    """The question whose answer is a member number, to link each submission to the member."""
    tenancy.require_role(actor, form.organization_id, STAFF_ROLES)
    path = (path or "").strip()
    if path and path not in xforms.field_paths(form.latest.structure):
        raise ValidationError.for_field("member_field", _("The form has no question at this path."))
    with transaction.atomic():
        Form.objects.filter(pk=form.pk).update(member_field=path, updated_at=timezone.now())
        form.member_field = path
        audit.record("form.member_field_set", actor=actor, organization=form.organization_id, obj=form)
    return form


def attach_media(version: FormVersion, *, name: str, data: bytes, actor) -> MediaFile:
    """A media file the form version refers to (an image, a CSV for select_one_from_file)."""
    tenancy.require_role(actor, version.organization_id, STAFF_ROLES)
    safe = _SAFE_NAME.sub("_", Path(name or "").name)
    content_type = mimetypes.guess_type(safe)[0] or ""
    errors = []
    if not safe:
        errors.append(FieldError("file", _("The file needs a name.")))
    if content_type not in MEDIA_TYPES:
        errors.append(
            FieldError(
                "file",
                _("This kind of file cannot go with a form (images, sound, video, CSV, GeoJSON, XML)."),
            )
        )
    if len(data) > MAX_MEDIA_BYTES:
        errors.append(FieldError("file", _("A media file can be at most 20 MB.")))
    if errors:
        raise ValidationError(message=_("The file is not attached."), errors=errors)
    with transaction.atomic():
        media, _created = MediaFile.objects.update_or_create(
            organization_id=version.organization_id,
            version=version,
            name=safe,
            defaults={
                "content_type": content_type,
                "data": data,
                "size": len(data),
                "md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
            },
        )
        audit.record("form.media_attached", actor=actor, organization=version.organization_id, obj=media)
    return media


# App users ------------------------------------------------------------------------------------------


def token_digest(raw: str) -> str:
    return hashlib.sha256(f"doorstep app user\x00{raw}".encode()).hexdigest()


def create_app_user(organization: Organization, *, name: str, actor) -> tuple[AppUser, str]:
    """A device or enumerator's token; the raw token is shown once (in its QR code)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    name = " ".join(str(name or "").split())[:120]
    if not name:
        raise ValidationError.for_field("name", _("Name the device or the enumerator."))
    raw = "dsa_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        app_user = AppUser.objects.create(
            organization=organization, name=name, token_digest=token_digest(raw), created_by=actor
        )
        audit.record("app_user.created", actor=actor, organization=organization, obj=app_user)
    return app_user, raw


def revoke_app_user(app_user: AppUser, *, actor) -> AppUser:
    tenancy.require_role(actor, app_user.organization_id, STAFF_ROLES)
    with transaction.atomic():
        AppUser.objects.filter(pk=app_user.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        app_user.refresh_from_db()
        audit.record("app_user.revoked", actor=actor, organization=app_user.organization_id, obj=app_user)
    return app_user


# How stale ``AppUser.last_used_at`` may be. Every phone of an organization may share one token, so
# writing it on every request made each submission wait for a second commit on one hot row; the
# list of devices shows the time to the minute.
APP_USER_TOUCH_INTERVAL = timedelta(minutes=1)


def _touch(app_user: AppUser) -> None:
    """Record that the token was used, at most once per ``APP_USER_TOUCH_INTERVAL``."""
    now = timezone.now()
    stale = now - APP_USER_TOUCH_INTERVAL
    if app_user.last_used_at is None or app_user.last_used_at < stale:
        AppUser.objects.filter(pk=app_user.pk).filter(
            models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
        app_user.last_used_at = now


def app_user_for_token(organization: Organization, raw: str) -> AppUser | None:
    """The live app user of this organization holding this token, or None."""
    app_user = AppUser.objects.filter(
        organization=organization, token_digest=token_digest(raw or ""), revoked_at__isnull=True
    ).first()
    if app_user is not None:
        _touch(app_user)
    return app_user


def app_user_at(org_slug: str, raw: str) -> AppUser | None:
    """``app_user_for_token`` for the active organization with this slug, read with its organization
    in one statement (the OpenRosa endpoints' common case); None for any refusal."""
    app_user = (
        AppUser.objects.select_related("organization")
        .filter(
            organization__slug=org_slug,
            organization__is_active=True,
            token_digest=token_digest(raw or ""),
            revoked_at__isnull=True,
        )
        .first()
    )
    if app_user is not None:
        _touch(app_user)
    return app_user


# Submissions ----------------------------------------------------------------------------------------


class UnknownForm(Exception):
    """The submission answers a form this organization does not have (OpenRosa: 404)."""


class ClosedForm(Exception):
    """The form is a draft or closed (OpenRosa: 403)."""


class NotAFiller(Exception):
    """The form is filled only by enrolled phones, or only by staff logins (OpenRosa: 403)."""


class SubmissionConflict(Exception):
    """The submission cannot be stored as sent (OpenRosa: 409): its instanceID already names another
    submission, or it edits one that is not here (yet) or belongs to another form."""


@dataclass
class Received:
    submission: Submission
    created: bool  # False: the same instance was already here (a retry)


def _attachment_rows(
    files: Mapping[str, tuple[bytes, str]], *, encrypted: bool = False
) -> list[tuple[str, bytes, str]]:
    rows = []
    for name, (data, content_type) in files.items():
        safe = _SAFE_NAME.sub("_", Path(name).name)
        kind = (content_type or mimetypes.guess_type(safe)[0] or "").split(";")[0].strip().lower()
        if encrypted and safe.endswith(".enc"):
            kind = "application/octet-stream"  # an encrypted file: its kind is known once decrypted
        elif kind not in ATTACHMENT_TYPES:
            raise ValidationError.for_field(
                "attachments",
                _("Attachment %(name)s is of a kind Doorstep does not keep.") % {"name": safe},
                code="attachment_type",
            )
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValidationError.for_field(
                "attachments", _("An attachment can be at most 20 MB."), code="too_large"
            )
        rows.append((safe, data, kind))
    return rows


def receive(
    organization: Organization,
    *,
    xml: bytes,
    files: Mapping[str, tuple[bytes, str]],
    app_user: AppUser | None = None,
    user=None,
    source: str = "openrosa",
) -> Received:
    """Store one submission (OpenRosa POST, or an import): parse it, seal it, keep its attachments.

    Once this returns, the submission is committed: that is what a 201 promises the phone.

    * The same ``instanceID`` with the same content (the same XML, or XML that reads as the same
      answers) for the same form is a retry: nothing new is stored except attachments not yet
      received (ODK Collect splits large ones over several requests). Two copies racing are settled
      by the database's unique constraint, and the loser is answered as a retry.
    * The same ``instanceID`` with other content, or for another form, is ``SubmissionConflict``
      (OpenRosa 409): one instance id names one submission, and neither copy is dropped silently.
    * An edit (``deprecatedID``) joins the record of the version it replaces and becomes its one
      current version. Edits of one record are serialized by locking the record's root row, so
      however many race, exactly one version is current afterwards (the last to commit). An edit
      whose original is not here yet, or belongs to another form, is ``SubmissionConflict``: the
      phone keeps it and sends it again (see docs/architecture.md for why it is not held).
    """
    parsed = xforms.parse_submission(xml)
    version = (
        FormVersion.objects.select_related("form")
        .only("pk", "md5", "organization_id", "form")
        .filter(organization=organization, form__xml_form_id=parsed.form_id, version=parsed.version)
        .first()
    )
    if version is not None:
        form = version.form
    else:
        form = Form.objects.filter(organization=organization, xml_form_id=parsed.form_id).first()
        if form is None:
            raise UnknownForm(parsed.form_id)
        version = form.latest
    if form.state != FormState.OPEN:
        raise ClosedForm(form.state)
    if form.fillers == Fillers.DEVICES and app_user is None and source == "openrosa":
        raise NotAFiller(_("This form is filled only on enrolled phones."))
    if form.fillers == Fillers.STAFF and app_user is not None:
        raise NotAFiller(_("This form is filled only by staff with their own login."))
    encrypted = encryption.is_encrypted(parsed.root)
    attachments = _attachment_rows(files, encrypted=encrypted)
    if encrypted:
        data = {"meta/instanceID": parsed.instance_id}
        expected = encryption.manifest(parsed.root).files
    else:
        structure = _structure(version.pk, version.md5)
        data = xforms.to_record(parsed.root, structure)
        expected = xforms.attachment_names(data, structure)
    # A retry (the instance id is stored already) is found by the unique constraint below rather
    # than by asking first: retries are rare, and a question on every submission is not free.
    member = member_for(form, data)
    try:
        with transaction.atomic():
            root = parsed.instance_id
            if parsed.deprecated_id:
                root = _lock_record(organization, form, parsed.deprecated_id)
                Submission.objects.filter(
                    organization=organization, root_instance_id=root, current=True
                ).update(current=False)
            key = vault.new_subject_key(organization)
            submission = Submission.objects.create(
                organization=organization,
                form=form,
                version=version,
                instance_id=parsed.instance_id,
                root_instance_id=root,
                deprecated_id=parsed.deprecated_id,
                subject_key=key,
                sealed_xml=vault.seal_bytes(key, xml, purpose=XML_PURPOSE),
                sealed_data=vault.seal(key, data, purpose=DATA_PURPOSE),
                member=member,
                app_user=app_user,
                submitted_by=user,
                source=source,
                attachments_expected=expected,
                encrypted=encrypted,
            )
            _store_attachments(submission, key, attachments)
            audit.record(
                "submission.received",
                actor=user,
                organization=organization,
                obj=submission,
                metadata={"form_id": form.pk, "app_user_id": app_user.pk if app_user else None},
            )
        return Received(submission, True)
    except IntegrityError:
        pass  # the same instance committed meanwhile (a race of two copies): settled as a retry
    return _again(organization, form, parsed.instance_id, xml, data, attachments)


@functools.lru_cache(maxsize=256)
def _structure(version_pk: int, md5: str) -> dict:
    """A form version's structure, read once per process: a version never changes once uploaded
    (its md5 is in the key all the same, so a reused id never answers another form's structure)."""
    return FormVersion.objects.only("structure").get(pk=version_pk).structure


def _lock_record(organization: Organization, form: Form, deprecated_id: str) -> str:
    """The root instance id of the record an edit joins, with the record locked until commit.

    The root's row is the record's lock: every edit of a record takes it first (``FOR UPDATE`` on
    PostgreSQL; SQLite's writers are serialized by ``BEGIN IMMEDIATE``), so the next edit's update
    of ``current`` sees the version the previous one committed."""
    earlier = (
        Submission.objects.filter(organization=organization, instance_id=deprecated_id)
        .values("root_instance_id", "form_id")
        .first()
    )
    if earlier is None:
        raise SubmissionConflict(
            _(
                "This is an edit of submission %(id)s, which has not arrived yet. Send that submission "
                "first; keep this edit and send it again afterwards."
            )
            % {"id": deprecated_id}
        )
    if earlier["form_id"] != form.pk:
        raise SubmissionConflict(
            _("This edit replaces submission %(id)s of another form.") % {"id": deprecated_id}
        )
    root = earlier["root_instance_id"]
    list(
        Submission.objects.select_for_update()
        .filter(organization=organization, instance_id=root)
        .values_list("pk", flat=True)
    )
    return root


def _again(
    organization: Organization,
    form: Form,
    instance_id: str,
    xml: bytes,
    data: dict,
    attachments: list[tuple[str, bytes, str]],
) -> Received:
    """A submission whose instance id is stored: a retry when it is the same, else a conflict. A
    retry keeps any attachment that was not there yet."""
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .select_related("subject_key")
            .get(organization=organization, instance_id=instance_id)
        )
        if submission.form_id != form.pk:
            raise SubmissionConflict(
                _("A submission with this instanceID (%(id)s) was already received for another form.")
                % {"id": instance_id}
            )
        key = submission.subject_key
        same = vault.open_sealed_bytes(key, bytes(submission.sealed_xml), purpose=XML_PURPOSE) == xml or (
            not submission.encrypted
            and vault.open_sealed(key, bytes(submission.sealed_data), purpose=DATA_PURPOSE) == data
        )
        if not same:
            raise SubmissionConflict(
                _(
                    "A different submission with this instanceID (%(id)s) was already received; "
                    "an edit needs a new instanceID and the old one as deprecatedID."
                )
                % {"id": instance_id}
            )
        have = set(submission.attachments.values_list("name", flat=True))
        _store_attachments(submission, key, [a for a in attachments if a[0] not in have])
    return Received(submission, False)


def _store_attachments(submission: Submission, key, attachments: list[tuple[str, bytes, str]]) -> None:
    for name, data, content_type in attachments:
        Attachment.objects.create(
            organization_id=submission.organization_id,
            submission=submission,
            name=name,
            content_type=content_type,
            size=len(data),
            sealed=vault.seal_bytes(key, data, purpose=ATTACHMENT_PURPOSE),
        )


def member_for(form: Form, data: dict):
    if not form.member_field:
        return None
    value = data.get(form.member_field)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return Member.objects.filter(
        organization_id=form.organization_id, number=number, merged_into__isnull=True
    ).first()


def reveal(submissions, *, actor, reason: str) -> dict[int, dict]:
    """The parsed records of submissions the actor may see; one audit event per organization."""
    submissions = list(submissions)
    for organization_id in {s.organization_id for s in submissions}:
        tenancy.require_role(actor, organization_id, STAFF_ROLES)
    records = {
        s.pk: vault.open_sealed(s.subject_key, bytes(s.sealed_data), purpose=DATA_PURPOSE)
        for s in submissions
    }
    audit.record_reads(
        "submission.read",
        actor=actor,
        rows=submissions,
        object_type="surveys.submission",
        ids_key="submission_ids",
        reason=reason,
    )
    return records


SEARCH_SCAN_LIMIT = 50_000


def _answer_matches(answers: list, op: str, wanted: str) -> bool:
    wanted = wanted.strip().casefold()
    for answer in answers:
        text = str(answer).casefold()
        if op == "contains" and wanted in text:
            return True
        if op == "is" and (text == wanted or wanted in text.split()):
            return True
    return False


# How an answer is compared with the value searched for.
ANSWER_OPS = ("is", "contains")


def search(form: Form, submissions, *, path: str, op: str, value: str, limit: int, cursor: str | None, actor):
    """Submissions whose answer to ``path`` is (or contains) ``value``, newest first: answers are
    sealed, so each submission is opened in turn until a page is full (or 50,000 were looked at;
    the next cursor then goes on from there). Returns (rows, records, next cursor, looked at). The
    rows returned are audited as read; the search is audited with the question, never the value."""
    tenancy.require_role(actor, form.organization_id, STAFF_ROLES)
    if op not in ANSWER_OPS:
        raise ValidationError.for_field("op", _("Choose “is” or “contains”."))
    queryset = submissions.order_by("-pk")
    if cursor:
        queryset = queryset.filter(pk__lt=decode_cursor(cursor))
    found: list[Submission] = []
    records: dict[int, dict] = {}
    scanned, last_pk = 0, None
    while len(found) <= limit and scanned < SEARCH_SCAN_LIMIT:
        chunk = list((queryset.filter(pk__lt=last_pk) if last_pk else queryset)[:500])
        if not chunk:
            break
        for submission in chunk:
            scanned += 1
            last_pk = submission.pk
            record = vault.open_sealed(
                submission.subject_key, bytes(submission.sealed_data), purpose=DATA_PURPOSE
            )
            if _answer_matches(xforms.answers_at([record], path), op, value):
                found.append(submission)
                records[submission.pk] = record
                if len(found) > limit:
                    break
    if len(found) > limit:
        found = found[:limit]
        next_cursor = encode_cursor(found[-1].pk)
    elif scanned >= SEARCH_SCAN_LIMIT and last_pk is not None and queryset.filter(pk__lt=last_pk).exists():
        next_cursor = encode_cursor(last_pk)
    else:
        next_cursor = None
    if found:
        audit.record_reads(
            "submission.read",
            actor=actor,
            rows=found,
            object_type="surveys.submission",
            ids_key="submission_ids",
            reason="submission search",
        )
    audit.record(
        "submission.searched",
        actor=actor,
        organization=form.organization_id,
        obj=form,
        metadata={"question": path, "op": op, "looked_at": scanned, "found": len(found)},
    )
    return found, {row.pk: records[row.pk] for row in found}, next_cursor, scanned


EXPORT_FORMATS = ("csv", "xlsx")


def export(form: Form, *, fmt: str, use_labels: bool, split: bool, language: str, actor):
    """The form's current submissions as CSV or XLSX: (content, is_stream, filename, content type).
    A form without repeats as CSV streams row by row; anything else is built in a temporary file.
    The export is audited (how many, which format), the rows are not listed."""
    from . import exports  # noqa: PLC0415 - cycle: exports reads DATA_PURPOSE from here

    tenancy.require_role(actor, form.organization_id, STAFF_ROLES)
    if fmt not in EXPORT_FORMATS:
        raise ValidationError.for_field("format", _("Choose csv or xlsx."))
    latest = form.latest
    if latest is None:
        raise ValidationError.for_field("format", _("The form has no version yet."))
    plan = exports.plan(latest.structure, use_labels=use_labels, split=split, language=language)
    submissions = queries.submissions_of(actor, form).order_by("pk")
    audit.record(
        "submission.exported",
        actor=actor,
        organization=form.organization_id,
        obj=form,
        metadata={"format": fmt, "labels": use_labels, "count": submissions.count()},
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "csv" and len(plan.tables) == 1:
        return (
            exports.csv_stream(plan, submissions),
            True,
            f"{form.xml_form_id}-{stamp}.csv",
            "text/csv; charset=utf-8",
        )
    handle = exports.to_files(plan, submissions, fmt, form.xml_form_id)
    if fmt == "xlsx":
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return handle, False, f"{form.xml_form_id}-{stamp}.xlsx", kind
    return handle, False, f"{form.xml_form_id}-{stamp}.zip", "application/zip"


EXPORT_PURPOSE = "submission.export"
EXPORT_KINDS = {
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def request_export(form: Form, *, fmt: str, use_labels: bool, split: bool, language: str, actor) -> Export:
    """Queue an export of the form's submissions as a background job (follow ``processed``)."""
    tenancy.require_role(actor, form.organization_id, STAFF_ROLES)
    if fmt not in EXPORT_FORMATS:
        raise ValidationError.for_field("format", _("Choose csv or xlsx."))
    if form.latest is None:
        raise ValidationError.for_field("format", _("The form has no version yet."))
    with transaction.atomic():
        job = Export.objects.create(
            organization_id=form.organization_id,
            form=form,
            requested_by=actor,
            format=fmt,
            use_labels=use_labels,
            split=split,
            language=language[:20],
        )
        audit.record(
            "submission.export_requested",
            actor=actor,
            organization=form.organization_id,
            obj=job,
            metadata={"form_id": form.pk, "format": fmt, "labels": use_labels},
        )
        transaction.on_commit(lambda: tasks.run_export.enqueue(job.pk))
    prune_exports()
    return job


def run_export(export_id: int) -> Export:
    """Write the export (the background job behind ``request_export``): to a temporary file, then
    sealed in 1 MiB chunks into ``EXPORT_ROOT``; progress is saved every 2,000 submissions."""
    from . import exports  # noqa: PLC0415 - cycle: exports reads DATA_PURPOSE from here

    job = Export.objects.select_related("form", "requested_by").get(pk=export_id)
    if job.status != Export.Status.QUEUED:
        return job
    form, actor = job.form, job.requested_by
    submissions = queries.submissions_of(actor, form).order_by("pk")
    count = submissions.count()
    Export.objects.filter(pk=job.pk).update(status=Export.Status.RUNNING, total=count)

    def progress(done: int) -> None:
        Export.objects.filter(pk=job.pk).update(processed=done)

    plan = exports.plan(
        form.latest.structure, use_labels=job.use_labels, split=job.split, language=job.language
    )
    stamp = timezone.localdate().isoformat()
    root = Path(settings.EXPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.sealed"
    key = vault.new_subject_key(form.organization_id)
    try:
        if job.format == "csv" and len(plan.tables) == 1:
            kind, filename = "csv", f"{form.xml_form_id}-{stamp}.csv"
            handle = tempfile.TemporaryFile()
            for chunk in exports.csv_stream(plan, submissions, progress):
                handle.write(chunk.encode("utf-8"))
            handle.seek(0)
        else:
            kind = "xlsx" if job.format == "xlsx" else "zip"
            filename = f"{form.xml_form_id}-{stamp}.{kind}"
            handle = exports.to_files(plan, submissions, job.format, form.xml_form_id, progress)
        with handle, open(root / name, "wb") as target:
            size = vault.seal_file(key, handle, target, purpose=EXPORT_PURPOSE)
    except Exception as error:  # the job must end in a state she can see, whatever went wrong
        vault.shred(key)
        (root / name).unlink(missing_ok=True)
        Export.objects.filter(pk=job.pk).update(
            status=Export.Status.FAILED, message=str(error)[:500] or error.__class__.__name__
        )
        raise
    now = timezone.now()
    Export.objects.filter(pk=job.pk).update(
        status=Export.Status.DONE,
        processed=count,
        filename=filename,
        content_type=EXPORT_KINDS[kind],
        size=size,
        file_key=key,
        path=name,
        finished_at=now,
        expires_at=now + timedelta(days=settings.EXPORT_KEEP_DAYS),
    )
    audit.record(
        "submission.exported",
        actor=actor,
        organization=form.organization_id,
        obj=form,
        metadata={"format": job.format, "labels": job.use_labels, "count": count},
    )
    job.refresh_from_db()
    return job


def open_export(job: Export, *, actor):
    """The export's file, decrypted chunk by chunk as it is sent (the download is audited)."""
    tenancy.require_role(actor, job.organization_id, STAFF_ROLES)
    if job.status != Export.Status.DONE or job.file_key_id is None:
        raise Http404
    key = job.file_key
    audit.record("submission.export_downloaded", actor=actor, organization=job.organization_id, obj=job)

    def chunks():
        with open(Path(settings.EXPORT_ROOT) / job.path, "rb") as source:
            yield from vault.open_file(key, source, purpose=EXPORT_PURPOSE)

    return chunks()


def delete_export(job: Export, *, actor=None) -> None:
    """Destroy the export's key and file (kept as a line of history, marked expired)."""
    if actor is not None:
        tenancy.require_role(actor, job.organization_id, STAFF_ROLES)
    with transaction.atomic():
        locked = Export.objects.select_for_update().get(pk=job.pk)
        key = locked.file_key
        Export.objects.filter(pk=job.pk).update(status=Export.Status.EXPIRED, file_key=None)
        if key is not None:
            vault.shred(key)
        audit.record("submission.export_deleted", actor=actor, organization=job.organization_id, obj=job)
    if locked.path:
        (Path(settings.EXPORT_ROOT) / locked.path).unlink(missing_ok=True)


def prune_exports() -> int:
    """Delete every export past its day (with each new export, and `python -m doorstep prune_exports`)."""
    expired = Export.objects.filter(status=Export.Status.DONE, expires_at__lt=timezone.now())
    count = 0
    for job in expired:
        delete_export(job)
        count += 1
    return count


def decrypt_submissions(form: Form, *, private_key, actor) -> dict:
    """Decrypt the form's encrypted submissions with the private key (never stored): each becomes a
    normal submission (its XML and record sealed as usual, its media files replaced by their
    decrypted selves) in a transaction of its own. A submission still waiting for a file, or one
    the key does not open, is left as it was and reported. Returns {"decrypted": n, "problems": [...]}."""
    tenancy.require_role(actor, form.organization_id, STAFF_ROLES)
    waiting = (
        Submission.objects.filter(form=form, encrypted=True)
        .select_related("subject_key", "version")
        .order_by("pk")
    )
    decrypted, problems = 0, []
    for submission in waiting:
        key = submission.subject_key
        manifest_xml = vault.open_sealed_bytes(key, bytes(submission.sealed_xml), purpose=XML_PURPOSE)
        found = encryption.manifest(xforms.parse_submission(manifest_xml).root)
        files = {
            a.name: vault.open_sealed_bytes(key, bytes(a.sealed), purpose=ATTACHMENT_PURPOSE)
            for a in submission.attachments.filter(name__in=found.files)
        }
        try:
            xml, media = encryption.decrypt(found, files, private_key)
            parsed = xforms.parse_submission(xml)
        except (encryption.DecryptionError, ValidationError) as error:
            problems.append({"instance_id": submission.instance_id, "problem": str(error)})
            continue
        record = xforms.to_record(parsed.root, submission.version.structure)
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk).update(
                sealed_xml=vault.seal_bytes(key, xml, purpose=XML_PURPOSE),
                sealed_data=vault.seal(key, record, purpose=DATA_PURPOSE),
                encrypted=False,
                member=member_for(form, record),
                attachments_expected=xforms.attachment_names(record, submission.version.structure),
            )
            submission.attachments.filter(name__in=found.files).delete()
            _store_attachments(
                submission,
                key,
                [
                    (name, data, mimetypes.guess_type(name)[0] or "application/octet-stream")
                    for name, data in media.items()
                ],
            )
            audit.record(
                "submission.decrypted", actor=actor, organization=form.organization_id, obj=submission
            )
        decrypted += 1
    return {"decrypted": decrypted, "problems": problems}


def open_attachment(attachment: Attachment, *, actor) -> bytes:
    tenancy.require_role(actor, attachment.organization_id, STAFF_ROLES)
    submission = attachment.submission
    data = vault.open_sealed_bytes(
        submission.subject_key, bytes(attachment.sealed), purpose=ATTACHMENT_PURPOSE
    )
    audit.record(
        "submission.attachment_read", actor=actor, organization=attachment.organization_id, obj=attachment
    )
    return data


# Her rights -----------------------------------------------------------------------------------------


def export_sections(member) -> dict[str, list[dict]]:
    """The submissions linked to her (registered with core.rights): when, which form, her answers."""
    rows = []
    submissions = Submission.objects.filter(member=member).select_related("subject_key", "form", "version")
    for submission in submissions.order_by("received_at", "pk"):
        data = vault.open_sealed(submission.subject_key, bytes(submission.sealed_data), purpose=DATA_PURPOSE)
        rows.append(
            {
                "form": submission.form.xml_form_id,
                "version": submission.version.version,
                "instance_id": submission.instance_id,
                "received_at": submission.received_at.isoformat(),
                "answers": data,
            }
        )
    return {"submissions": rows}


def erase_rows(member) -> None:
    """Her submissions go, every version of them, and their keys with them (crypto-shredding)."""
    roots = set(Submission.objects.filter(member=member).values_list("root_instance_id", flat=True))
    doomed = Submission.objects.filter(organization_id=member.organization_id, root_instance_id__in=roots)
    keys = list(doomed.values_list("subject_key_id", flat=True))
    Attachment.objects.filter(submission__in=doomed).delete()
    doomed.delete()

    vault.shred_keys(keys)


def move_submissions(source, target) -> None:
    Submission.objects.filter(member=source).update(member=target)
