"""Every write about social protection, and every read of what is sealed.

- The shipped catalogue kept in step with ``data/schemes.csv`` (``sync_catalogue``, after migrate).
- An organization's (or a network's) own schemes: ``add_scheme``, ``deactivate_scheme``.
- A member's applications: ``start_application``, ``update_application`` (checklist, reference
  number, next step), ``set_status`` (with its history), ``turn_rejection_into_case`` (one step to a
  grievance case), ``next_step_done``; ``reveal`` opens the sealed words (audited), ``find_by_reference``
  looks one up by its reference number through the blind index.
- Her rights (registered with core.rights): export, erasure, merge.

Services take a typed input (a dataclass) and the acting user, keyword-only; they check the role
first, run in a transaction and write the audit event in it."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, cells, inputs, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.grievances.services import cases as case_services
from doorstep.members.models import Member
from doorstep.members.services import pii
from doorstep.members.services.validation import normalize_id_number
from doorstep.organizations.models import Organization

from . import rules
from .models import Application, ApplicationEvent, ApplicationStatus, Scheme, SchemeKind

CATALOGUE = Path(__file__).parent / "data" / "schemes.csv"
SEAL_PURPOSE = "protection.application"
SEALED_FIELDS = ("reference_number", "next_step", "note")

# The dates each status stamps (the day it was reached).
_STAMPS = {
    ApplicationStatus.SUBMITTED: "submitted_on",
    ApplicationStatus.ACCEPTED: "decided_on",
    ApplicationStatus.REJECTED: "decided_on",
    ApplicationStatus.PAID: "paid_on",
}


# The catalogue -------------------------------------------------------------------------------------------


def _catalogue_rows() -> list[dict]:
    with CATALOGUE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sync_catalogue(**_kwargs) -> int:
    """Bring the shipped schemes in step with ``data/schemes.csv``; the number changed. A row no
    longer in the file is deactivated (applications point at it). A rule the file gets wrong fails
    the migrate, naming the row."""
    changed = 0
    keys = set()
    with transaction.atomic():
        for number, row in enumerate(_catalogue_rows(), start=2):
            keys.add(row["key"])
            try:
                parsed = rules.parse(row["rules"], where=f"schemes.csv row {number} rules")
            except ValidationError as error:
                raise ValueError("; ".join(f"{e.field}: {e.message}" for e in error.errors)) from None
            values = {
                "name": row["name"],
                "kind": row["kind"],
                "country": row["country"],
                "region_names": [n.strip().lower() for n in row["region_names"].split(";") if n.strip()],
                "eligibility": row["eligibility"],
                "rules_text": row["rules"],
                "rules": parsed,
                "documents": [d.strip() for d in row["documents"].split(";") if d.strip()],
                "where_to_apply": row["where_to_apply"],
                "benefits": row["benefits"],
                "renew_every_months": int(row["renew_every_months"]) if row["renew_every_months"] else None,
                "source": row["source"],
                "as_of": row["as_of"],
                "verified": row["verified"] == "yes",
                "notes": row["notes"],
                "is_active": True,
            }
            current = Scheme.objects.filter(reference_key=row["key"]).first()
            if current is None:
                Scheme.objects.create(reference_key=row["key"], **values)
                changed += 1
                continue
            differs = any(
                (getattr(current, n).code if n == "country" else getattr(current, n)) != v
                for n, v in values.items()
            )
            if differs:
                for name, value in values.items():
                    setattr(current, name, value)
                current.save()
                changed += 1
        changed += (
            Scheme.objects.filter(organization__isnull=True, reference_key__isnull=False, is_active=True)
            .exclude(reference_key__in=keys)
            .update(is_active=False)
        )
    return changed


# An organization's own schemes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemeInput:
    name: str
    kind: str
    country: str
    eligibility: str
    rules: str = ""
    documents: list[str] = field(default_factory=list)
    where_to_apply: str = ""
    benefits: str = ""
    renew_every_months: int | None = None
    region_names: list[str] = field(default_factory=list)
    source: str = ""
    as_of: str = ""
    verified: bool = False  # someone checked it against the source on ``as_of``


def _clean_scheme(data: SchemeInput) -> dict:
    errors: list[FieldError] = []
    name = " ".join(str(data.name or "").split())
    if not name:
        errors.append(FieldError("name", _("Give the scheme's name.")))
    kind = inputs.choice(data.kind, "kind", SchemeKind, errors, required=True)
    country = inputs.country_code(data.country)
    if not country:
        errors.append(FieldError("country", _("Give a country as its two-letter code, such as IN or KE.")))
    eligibility = str(data.eligibility or "").strip()
    if not eligibility:
        errors.append(FieldError("eligibility", _("Say in words who may claim it.")))
    parsed = []
    try:
        parsed = rules.parse(data.rules)
    except ValidationError as error:
        errors.extend(error.errors)
    if data.renew_every_months is not None and not 1 <= data.renew_every_months <= 120:
        errors.append(FieldError("renew_every_months", _("Between 1 and 120 months, or leave it blank.")))
    source = inputs.web_link(data.source, "source", errors) if data.source else ""
    documents = [" ".join(str(d).split())[:200] for d in data.documents if str(d).strip()]
    if len(documents) > 30:
        errors.append(FieldError("documents", _("List at most 30 documents.")))
    if errors:
        raise ValidationError(message=_("The scheme is not saved."), errors=errors)
    return {
        "name": name[:200],
        "kind": kind,
        "country": country,
        "eligibility": eligibility[:5000],
        "rules_text": rules.describe(parsed),
        "rules": parsed,
        "documents": documents,
        "where_to_apply": str(data.where_to_apply or "").strip()[:300],
        "benefits": str(data.benefits or "").strip()[:5000],
        "renew_every_months": data.renew_every_months,
        "region_names": [" ".join(str(r).split()).lower() for r in data.region_names if str(r).strip()],
        "source": source,
        "as_of": str(data.as_of or "").strip()[:20],
        "verified": bool(data.verified and source),
    }


def add_scheme(organization: Organization, data: SchemeInput, *, actor) -> Scheme:
    """A scheme of the organization's own (a network's is seen by its affiliates too)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    values = _clean_scheme(data)
    with transaction.atomic():
        scheme = Scheme.objects.create(organization=organization, created_by=actor, **values)
        audit.record("scheme.added", actor=actor, organization=organization, obj=scheme)
    return scheme


def deactivate_scheme(scheme: Scheme, *, actor) -> Scheme:
    """Take one of the organization's own schemes off its lists (its applications stay)."""
    tenancy.require_role(actor, scheme.organization_id, STAFF_ROLES)
    with transaction.atomic():
        scheme.is_active = False
        scheme.save(update_fields=["is_active"])
        audit.record("scheme.deactivated", actor=actor, organization=scheme.organization_id, obj=scheme)
    return scheme


# Applications --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationInput:
    """What starts an application, or (every field optional but the two ids) changes one."""

    member_id: int
    scheme_id: int
    status: str = ApplicationStatus.TO_PREPARE
    started_on: date | None = None
    reference_number: str = ""
    documents_have: list[str] = field(default_factory=list)
    next_step: str = ""
    next_step_due: date | None = None
    renew_by: date | None = None
    note: str = ""


@dataclass(frozen=True)
class ApplicationChange:
    reference_number: str | None = None
    documents_have: list[str] | None = None
    next_step: str | None = None
    next_step_due: date | None = None
    renew_by: date | None = None
    note: str | None = None
    clear_next_step_due: bool = False


def normalize_reference(raw: str) -> str:
    """A reference number as compared: upper case, no spaces, dashes or slashes."""
    return normalize_id_number(str(raw or "")).upper()


def _reference_digest(organization_id: int, raw: str) -> str:
    normalized = normalize_reference(raw)
    return vault.blind_index(organization_id, "scheme_reference", normalized) if normalized else ""


def _check_words(values: dict, errors: list[FieldError]) -> None:
    for name, limit in (("reference_number", 60), ("next_step", 300), ("note", 5000)):
        text = values.get(name)
        if text is not None and len(text) > limit:
            errors.append(FieldError(name, _("Keep this under %(limit)s characters.") % {"limit": limit}))


def _checklist(scheme: Scheme, have: list[str], errors: list[FieldError]) -> list[dict]:
    wanted = {" ".join(str(d).split()).lower() for d in have}
    known = {d.lower() for d in scheme.documents}
    unknown = sorted(wanted - known)
    if unknown:
        errors.append(
            FieldError(
                "documents_have",
                _("Not on this scheme's list: %(names)s.") % {"names": ", ".join(unknown)},
            )
        )
    return [{"document": d, "have": d.lower() in wanted} for d in scheme.documents]


def _visible_scheme(organization: Organization, scheme_id: int) -> Scheme | None:
    network_ids = organization.affiliations.filter(until__isnull=True).values_list("network_id", flat=True)
    return (
        Scheme.objects.filter(pk=scheme_id, is_active=True)
        .filter(
            Q(organization__isnull=True)
            | Q(organization_id=organization.pk)
            | Q(organization_id__in=list(network_ids))
        )
        .first()
    )


def _record_event(application: Application, status: str, on: date, actor) -> None:
    ApplicationEvent.objects.create(
        organization_id=application.organization_id, application=application, status=status, on=on, by=actor
    )


def start_application(organization: Organization, data: ApplicationInput, *, actor) -> Application:
    """A member's application to a scheme, with the scheme's documents as its checklist. One live
    application per member and scheme (a rejected one can be followed by a new one)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    errors: list[FieldError] = []
    member = Member.objects.filter(
        organization=organization, pk=data.member_id, merged_into__isnull=True
    ).first()
    if member is None:
        errors.append(FieldError("member_id", _("Not a member of this organization.")))
    scheme = _visible_scheme(organization, data.scheme_id)
    if scheme is None:
        errors.append(FieldError("scheme_id", _("Not a scheme this organization can use.")))
    status = inputs.choice(data.status, "status", ApplicationStatus, errors, required=True)
    started = data.started_on or timezone.localdate()
    if started > timezone.localdate():
        errors.append(FieldError("started_on", _("An application cannot start in the future.")))
    sealed = {
        "reference_number": " ".join(str(data.reference_number or "").split()),
        "next_step": " ".join(str(data.next_step or "").split()),
        "note": str(data.note or "").strip(),
    }
    _check_words(sealed, errors)
    checklist = _checklist(scheme, data.documents_have, errors) if scheme else []
    if errors:
        raise ValidationError(message=_("The application is not saved."), errors=errors)
    if member.applications.filter(scheme=scheme).exclude(status=ApplicationStatus.REJECTED).exists():
        raise ValidationError.for_field(
            "scheme_id", _("She already has an application to this scheme."), code="already_applied"
        )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                organization=organization,
                member=member,
                scheme=scheme,
                status=status,
                started_on=started,
                sealed=vault.seal(member.subject_key, sealed, purpose=SEAL_PURPOSE),
                reference_digest=_reference_digest(organization.pk, sealed["reference_number"]),
                checklist=checklist,
                next_step_due=data.next_step_due,
                renew_by=data.renew_by,
                created_by=actor,
                **({_STAMPS[status]: started} if status in _STAMPS else {}),
            )
            _record_event(application, status, started, actor)
            audit.record(
                "application.started",
                actor=actor,
                organization=organization,
                obj=application,
                metadata={"scheme": scheme.pk, "status": status},
            )
    except IntegrityError:
        raise ValidationError.for_field(
            "scheme_id", _("She already has an application to this scheme."), code="already_applied"
        ) from None
    return application


def _open(application: Application) -> dict:
    return vault.open_sealed(application.member.subject_key, bytes(application.sealed), purpose=SEAL_PURPOSE)


def update_application(application: Application, data: ApplicationChange, *, actor) -> Application:
    """Change what was sent: the reference number (sealed and indexed again), the documents she has
    (the checklist is ticked), the next step and its deadline, the renewal date, the note."""
    tenancy.require_role(actor, application.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    words = {
        name: " ".join(str(getattr(data, name)).split()) if name != "note" else str(data.note).strip()
        for name in SEALED_FIELDS
        if getattr(data, name) is not None
    }
    _check_words(words, errors)
    checklist = (
        _checklist(application.scheme, data.documents_have, errors)
        if data.documents_have is not None
        else None
    )
    if errors:
        raise ValidationError(message=_("The application is not saved."), errors=errors)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("member__subject_key", "scheme")
            .get(pk=application.pk)
        )
        changed = []
        if words:
            sealed = _open(application)
            sealed.update(words)
            application.sealed = vault.seal(application.member.subject_key, sealed, purpose=SEAL_PURPOSE)
            changed += sorted(words)
            if "reference_number" in words:
                application.reference_digest = _reference_digest(
                    application.organization_id, words["reference_number"]
                )
        if checklist is not None:
            application.checklist = checklist
            changed.append("checklist")
        if data.next_step_due is not None or data.clear_next_step_due:
            application.next_step_due = None if data.clear_next_step_due else data.next_step_due
            application.next_step_done_at = None
            changed.append("next_step_due")
        if data.renew_by is not None:
            application.renew_by = data.renew_by
            changed.append("renew_by")
        application.save()
        audit.record(
            "application.updated",
            actor=actor,
            organization=application.organization_id,
            obj=application,
            metadata={"fields": changed},
        )
    return application


def set_status(application: Application, status: str, *, actor, on: date | None = None) -> Application:
    """Move an application on (its history keeps every step). Accepted, paid or to renew with a
    scheme that renews and no renewal date yet: the date is set from the scheme's period."""
    tenancy.require_role(actor, application.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    status = inputs.choice(status, "status", ApplicationStatus, errors, required=True)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors.append(FieldError("on", _("A step cannot be dated in the future.")))
    if on < application.started_on:
        errors.append(FieldError("on", _("A step cannot come before the application started.")))
    if errors:
        raise ValidationError(message=_("The status is not changed."), errors=errors)
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("scheme").get(pk=application.pk)
        before = application.status
        if before == status:
            return application
        if before == ApplicationStatus.REJECTED and (
            application.member.applications.filter(scheme=application.scheme)
            .exclude(status=ApplicationStatus.REJECTED)
            .exists()
        ):
            raise ValidationError.for_field(
                "status",
                _("She has a newer application to this scheme; change that one."),
                code="already_applied",
            )
        application.status = status
        if status in _STAMPS:
            setattr(application, _STAMPS[status], on)
        months = application.scheme.renew_every_months
        if (
            status in (ApplicationStatus.ACCEPTED, ApplicationStatus.PAID)
            and months
            and not application.renew_by
        ):
            application.renew_by = _add_months(on, months)
        application.save()
        _record_event(application, status, on, actor)
        audit.record(
            "application.status",
            actor=actor,
            organization=application.organization_id,
            obj=application,
            metadata={"from": before, "to": status},
        )
    return application


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_step_done(application: Application, *, actor) -> Application:
    """The next step was taken: it leaves the home page's deadlines."""
    tenancy.require_role(actor, application.organization_id, STAFF_ROLES)
    with transaction.atomic():
        application.next_step_done_at = timezone.now()
        application.save(update_fields=["next_step_done_at", "updated_at"])
        audit.record(
            "application.next_step_done",
            actor=actor,
            organization=application.organization_id,
            obj=application,
        )
    return application


def turn_rejection_into_case(application: Application, *, actor):
    """A rejected application becomes a grievance case about her ("no social protection"), in one
    step: the case is opened through the grievances app's service and linked back. Twice: the same case."""
    tenancy.require_role(actor, application.organization_id, STAFF_ROLES)
    if application.status != ApplicationStatus.REJECTED:
        raise ValidationError.for_field(
            "status", _("Only a rejected application can become a case."), code="not_rejected"
        )
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("scheme").get(pk=application.pk)
        if application.case_id:
            return application.case
        summary = _("Application to %(scheme)s rejected") % {"scheme": application.scheme.name}
        case = case_services.create_case(
            application.organization,
            data={
                "kind": "individual",
                "category": "no_social_protection",
                "members": [application.member_id],
                "summary": summary[:300],
                "narrative": _("Rejected on %(day)s. Reference number and notes: see the application.")
                % {"day": application.decided_on.isoformat() if application.decided_on else "?"},
                "taken_by": actor.pk,
            },
            actor=actor,
        )
        application.case = case
        application.save(update_fields=["case", "updated_at"])
        audit.record(
            "application.case_opened",
            actor=actor,
            organization=application.organization_id,
            obj=application,
            metadata={"case": case.pk},
        )
    return case


def reveal(applications, *, actor, reason: str) -> dict[int, dict]:
    """The sealed words (reference number, next step, note) of some applications; one audit event."""
    applications = list(applications)
    if not applications:
        return {}
    for organization_id in {a.organization_id for a in applications}:
        tenancy.require_role(actor, organization_id, STAFF_ROLES)
    opened = {a.pk: _open(a) for a in applications}
    audit.record_reads(
        "application.read",
        actor=actor,
        rows=applications,
        object_type="protection.application",
        ids_key="application_ids",
        reason=reason,
    )
    return opened


def find_by_reference(organization: Organization, reference_number: str, *, actor) -> list[Application]:
    """The organization's applications with this reference number (exact, through the blind index)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    digest = _reference_digest(organization.pk, reference_number)
    if not digest:
        return []
    found = list(
        Application.objects.filter(organization=organization, reference_digest=digest).select_related(
            "member__subject_key", "scheme"
        )
    )
    audit.record(
        "application.searched", actor=actor, organization=organization, metadata={"found": len(found)}
    )
    return found


# Lists for the field -------------------------------------------------------------------------------------


def names_for_list(members, *, actor, reason: str) -> dict[int, str]:
    """Her name for a list a group leader takes to the field (an audited read of personal data)."""
    revealed = pii.reveal_pii(members, actor=actor, reason=reason)
    return {pk: data.get("full_name", "") for pk, data in revealed.items()}


def list_csv(header: list[str], rows: list[list], *, organization, actor, what: str) -> str:
    """A list as CSV through the formula-neutralizing writer; the export is audited (count only)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    buffer = io.StringIO()
    out = cells.writer(buffer)
    out.writerow(header)
    out.writerows(rows)
    audit.record(
        "protection.list_exported",
        actor=actor,
        organization=organization,
        metadata={"list": what, "rows": len(rows)},
    )
    return buffer.getvalue()


# Her rights (core.rights) --------------------------------------------------------------------------------


def export_sections(member: Member) -> dict[str, list[dict]]:
    rows = []
    for application in Application.objects.filter(member=member).select_related(
        "scheme", "member__subject_key"
    ):
        sealed = _open(application)
        rows.append(
            {
                "scheme": application.scheme.name,
                "status": application.status,
                "started_on": application.started_on.isoformat(),
                "submitted_on": application.submitted_on.isoformat() if application.submitted_on else None,
                "decided_on": application.decided_on.isoformat() if application.decided_on else None,
                "paid_on": application.paid_on.isoformat() if application.paid_on else None,
                "renew_by": application.renew_by.isoformat() if application.renew_by else None,
                "reference_number": sealed.get("reference_number", ""),
                "next_step": sealed.get("next_step", ""),
                "next_step_due": application.next_step_due.isoformat() if application.next_step_due else None,
                "note": sealed.get("note", ""),
                "documents": "; ".join(
                    f"{c['document']}: {'yes' if c['have'] else 'no'}" for c in application.checklist
                ),
                "history": "; ".join(f"{e.on.isoformat()} {e.status}" for e in application.events.all()),
            }
        )
    return {"applications": rows}


def erase_rows(member: Member) -> None:
    """Her applications and their history go (their words were sealed under her key, shredded next)."""
    Application.objects.filter(member=member).delete()


def move_applications(source: Member, target: Member) -> None:
    """Two records of one woman merged: her applications move, sealed again under the survivor's key."""
    for application in Application.objects.filter(member=source).select_related("member__subject_key"):
        if application.status != ApplicationStatus.REJECTED and (
            target.applications.filter(scheme_id=application.scheme_id)
            .exclude(status=ApplicationStatus.REJECTED)
            .exists()
        ):
            raise ValidationError.for_field(
                "applications",
                _("Both records have an application to %(scheme)s under way: close one before merging.")
                % {"scheme": application.scheme.name},
                code="merge_conflict",
            )
        sealed = _open(application)
        application.member = target
        application.sealed = vault.seal(target.subject_key, sealed, purpose=SEAL_PURPOSE)
        application.save(update_fields=["member", "sealed", "updated_at"])
