"""Intake without an account: an organization's public report link, reports sent through it (sealed;
the receipt code is kept only as a keyed hash), their status by receipt, and their review into a case."""

import secrets
import time
from collections.abc import Mapping
from typing import Any

from django.core import signing
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from doorstep.core import audit, inputs, tenancy, throttle, vault
from doorstep.core.errors import FieldError, Throttled, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.models import Organization

from ..models import Case, Category, IntakeChannel, IntakeReport, IntakeStatus, Source
from .cases import create_case

INTAKE_PURPOSE = "grievance.intake"


RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed on a keypad


INTAKE_LIMIT = (5, 3600)  # reports an hour from one address
# Beyond this many reports an hour to one channel (from everywhere), intake is not closed: a report
# is accepted from a form that was opened at least SLOW_PATH_SECONDS before (a person takes that
# long; a flood does not wait). The hidden ``website`` field is the robots' trap besides.
CHANNEL_CEILING = (50, 3600)
SLOW_PATH_SECONDS = 20
_STARTED_SALT = "doorstep.grievances.intake.started"


STATUS_LIMIT = (20, 3600)  # receipt checks an hour from one address


def open_channel(organization: Organization, *, actor):
    """Publish a new intake link (closing the old one: its address stops working at once)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    with transaction.atomic():
        IntakeChannel.objects.filter(organization=organization, is_open=True).update(is_open=False)
        channel = IntakeChannel.objects.create(
            organization=organization, code=secrets.token_urlsafe(9), created_by=actor
        )
        audit.record("intake.opened", actor=actor, organization=organization, obj=channel)
    return channel


def close_channel(organization: Organization, *, actor) -> None:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    with transaction.atomic():
        IntakeChannel.objects.filter(organization=organization, is_open=True).update(is_open=False)
        audit.record("intake.closed", actor=actor, organization=organization)


def _receipt_digest(code: str) -> str:
    normal = "".join(c for c in code.upper() if c.isalnum())
    return salted_hmac("doorstep.grievances.receipt", normal, algorithm="sha256").hexdigest()


def _new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def intake_started_token(at: float | None = None) -> str:
    """A signed mark of when the intake form was served (a hidden field of the form)."""
    return signing.dumps(at if at is not None else time.time(), salt=_STARTED_SALT)


def _opened_long_enough(token: str) -> bool:
    try:
        started = float(signing.loads(str(token or ""), salt=_STARTED_SALT, max_age=24 * 3600))
    except (signing.BadSignature, TypeError, ValueError):
        return False
    return time.time() - started >= SLOW_PATH_SECONDS


def submit_intake(
    channel_code: str, raw: Mapping[str, Any], *, address: str | None, language: str = ""
) -> str:
    """A report through the public form; returns the receipt code to give her (shown once, never
    stored: only its keyed hash is). Junk never reaches the case list: a person reads it first."""
    channel = (
        IntakeChannel.objects.filter(code=channel_code, is_open=True).select_related("organization").first()
    )
    if channel is None or not channel.organization.is_active:
        raise Http404
    if not throttle.allow(
        f"intake:{channel.pk}", address, limit=INTAKE_LIMIT[0], window_seconds=INTAKE_LIMIT[1]
    ):
        raise Throttled(message=_("Too many reports from here in the last hour. Please try again later."))
    if not throttle.allow(
        f"intake-channel:{channel.pk}", None, limit=CHANNEL_CEILING[0], window_seconds=CHANNEL_CEILING[1]
    ) and not _opened_long_enough(raw.get("started")):
        raise Throttled(
            message=_("Many reports are arriving right now. Please wait half a minute, then send again."),
            retry_after=SLOW_PATH_SECONDS,
        )
    errors: list[FieldError] = []
    description = str(raw.get("description") or "").strip()
    if len(description) < 10:
        errors.append(FieldError("description", _("Say what happened, in a few words at least.")))
    elif len(description) > 5000:
        errors.append(
            FieldError("description", _("Keep this under %(limit)s characters.") % {"limit": "5,000"})
        )
    category = inputs.choice(raw.get("category") or "", "category", Category, errors)
    if str(raw.get("website") or "").strip():  # a field people never see: only robots fill it in
        errors.append(FieldError("description", _("This report could not be sent.")))
    if errors:
        raise ValidationError(message=_("The report is not sent."), errors=errors)
    sealed = {
        "description": description,
        **{
            name: " ".join(str(raw.get(name) or "").split())[:200]
            for name in ("work_giver", "name", "phone", "member_number")
        },
        "for_someone": str(raw.get("for_someone") or "").lower() in ("1", "true", "on", "yes"),
    }
    receipt = _new_receipt()
    with transaction.atomic():
        key = vault.new_subject_key(channel.organization)
        report = IntakeReport.objects.create(
            organization=channel.organization,
            channel=channel,
            receipt_digest=_receipt_digest(receipt),
            subject_key=key,
            sealed=vault.seal(key, sealed, purpose=INTAKE_PURPOSE),
            category=category or "",
            language=language[:10],
        )
        audit.record("intake.received", organization=channel.organization, obj=report)
    return receipt


def receive_text_report(
    organization: Organization, *, description: str, phone: str, member_number: str, language: str = ""
) -> str:
    """A report that came as a text message (``HELP <words>`` to the organization's SMS channel),
    kept like one sent through the public form; returns its receipt code. The sender's number is
    sealed with the words so that the organizer can call her back."""
    description = " ".join(str(description or "").split())[:5000]
    if not description:
        raise ValidationError.for_field("description", _("Say what happened, in a few words at least."))
    receipt = _new_receipt()
    with transaction.atomic():
        channel = IntakeChannel.objects.filter(organization=organization, is_open=True).first()
        if channel is None:  # reports by SMS need no public link: a closed one holds them
            channel = IntakeChannel.objects.filter(
                organization=organization
            ).first() or IntakeChannel.objects.create(
                organization=organization, code=secrets.token_urlsafe(9), is_open=False
            )
        key = vault.new_subject_key(organization)
        report = IntakeReport.objects.create(
            organization=organization,
            channel=channel,
            receipt_digest=_receipt_digest(receipt),
            subject_key=key,
            sealed=vault.seal(
                key,
                {
                    "description": description,
                    "work_giver": "",
                    "name": "",
                    "phone": phone,
                    "member_number": member_number,
                    "for_someone": False,
                },
                purpose=INTAKE_PURPOSE,
            ),
            language=language[:10],
        )
        audit.record("intake.received", organization=organization, obj=report, metadata={"by": "sms"})
    return receipt


def intake_status(receipt: str, *, address: str | None) -> dict | None:
    """Status and dates of a report by its receipt code (and of its case, once taken up); None for
    a wrong or unknown code alike. Nothing else: no name, no organization, no words."""
    if not throttle.allow("intake-status", address, limit=STATUS_LIMIT[0], window_seconds=STATUS_LIMIT[1]):
        raise Throttled(message=_("Too many checks from here in the last hour. Please try again later."))
    report = (
        IntakeReport.objects.filter(receipt_digest=_receipt_digest(str(receipt or "")))
        .select_related("case")
        .first()
    )
    if report is None:
        return None
    found = {
        "status": report.status,
        "received_on": timezone.localtime(report.received_at).date(),
        "reviewed_on": timezone.localtime(report.reviewed_at).date() if report.reviewed_at else None,
        "case_status": None,
        "case_updated_on": None,
    }
    if report.case is not None:
        found["case_status"] = report.case.status
        found["case_updated_on"] = timezone.localtime(report.case.updated_at).date()
    return found


def reveal_reports(reports, *, actor, reason: str) -> dict[int, dict]:
    reports = list(reports)
    for organization_id in {r.organization_id for r in reports}:
        tenancy.require_role(actor, organization_id, STAFF_ROLES)
    opened = {
        r.pk: vault.open_sealed(r.subject_key, bytes(r.sealed), purpose=INTAKE_PURPOSE) for r in reports
    }
    audit.record_reads(
        "intake.read",
        actor=actor,
        rows=reports,
        object_type="grievances.intakereport",
        ids_key="report_ids",
        reason=reason,
    )
    return opened


def accept_report(report, data: Mapping[str, Any], *, actor) -> Case:
    """Open a case from a report: the organizer confirms the category, the member(s) and the summary;
    the report's words become the case's narrative."""
    tenancy.require_role(actor, report.organization_id, STAFF_ROLES)
    if report.status != IntakeStatus.PENDING:
        raise ValidationError.for_field("status", _("This report has already been read."), code="reviewed")
    words = vault.open_sealed(report.subject_key, bytes(report.sealed), purpose=INTAKE_PURPOSE)
    narrative = "\n\n".join(
        part
        for part in (
            words.get("description", ""),
            _("Work giver named: %(name)s") % {"name": words["work_giver"]}
            if words.get("work_giver")
            else "",
            _("Sent by %(name)s, %(phone)s")
            % {"name": words.get("name") or "—", "phone": words.get("phone") or "—"},
        )
        if part
    )
    with transaction.atomic():
        case = create_case(
            report.organization, data={**data, "narrative": narrative}, actor=actor, source=Source.INTAKE
        )
        report.status, report.case = IntakeStatus.ACCEPTED, case
        report.reviewed_at, report.reviewed_by = timezone.now(), actor
        report.save(update_fields=["status", "case", "reviewed_at", "reviewed_by"])
        audit.record(
            "intake.accepted",
            actor=actor,
            organization=report.organization_id,
            obj=report,
            metadata={"case_id": case.pk},
        )
    return case


def reject_report(report, *, actor) -> None:
    """Not a grievance (junk, a test, spam): it stays out of the case list; its words are destroyed."""
    tenancy.require_role(actor, report.organization_id, STAFF_ROLES)
    if report.status != IntakeStatus.PENDING:
        raise ValidationError.for_field("status", _("This report has already been read."), code="reviewed")
    with transaction.atomic():
        report.status, report.reviewed_at, report.reviewed_by = IntakeStatus.REJECTED, timezone.now(), actor
        report.sealed = b""
        report.save(update_fields=["status", "reviewed_at", "reviewed_by", "sealed"])
        audit.record("intake.rejected", actor=actor, organization=report.organization_id, obj=report)
