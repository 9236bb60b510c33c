"""Every write about supply chains: parties (work givers), the links between them, due diligence (the
organization's narrative to a company, the company's commitments and their tracking), and supplier
lists matched to the parties. ``clean_party()`` is the one validator of a party: pages, API and
imports pass raw values through it. Reading a party's sealed contact details is audited."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from doorstep.core import audit, inputs, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES, Role
from doorstep.organizations.models import Organization

from . import matching
from .models import (
    CONTACT_FIELDS,
    Commitment,
    CommitmentStatus,
    Confidence,
    DiligenceStep,
    DossierNarrative,
    EvidenceKind,
    MatchOutcome,
    Party,
    PartyKind,
    PartyLink,
    SupplierList,
    SupplierListRow,
)
from .queries import sharing_with_company

CONTACT_PURPOSE = "party.contact"
IDENTIFIER_SCHEMES = ("os_id", "lei", "company_number", "tax_id", "other")
# A person's decision on a facility waiting for review (decide_supplier_row).
SUPPLIER_DECISIONS = ("same", "other", "new")


def _person_address() -> str:
    return _("A person's address is personal data: write it in the contact details, which are encrypted.")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class CleanParty:
    fields: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, Any] = field(default_factory=dict)


def _identifiers(value, errors: list[FieldError]) -> list[dict]:
    """[{"scheme", "value"}], from a list of dicts or lines of "scheme: value"."""
    items = []
    if isinstance(value, str):
        value = [line for line in value.splitlines() if line.strip()]
    for position, item in enumerate(value or [], start=1):
        if isinstance(item, Mapping):
            scheme, number = str(item.get("scheme") or "").strip(), str(item.get("value") or "").strip()
        else:
            scheme, _sep, number = str(item).partition(":")
            scheme, number = scheme.strip(), number.strip()
        scheme = scheme.lower().replace(" ", "_")
        if scheme not in IDENTIFIER_SCHEMES or not number:
            errors.append(
                FieldError(
                    "identifiers",
                    _("Identifier %(position)d: write it as scheme: value, the scheme one of %(schemes)s.")
                    % {"position": position, "schemes": ", ".join(IDENTIFIER_SCHEMES)},
                )
            )
            continue
        items.append({"scheme": scheme, "value": number[:100]})
    return items


def _company(value, errors: list[FieldError]) -> Organization | None:
    """The company on Doorstep a party is (an id, an Organization or blank)."""
    if value in (None, "", 0):
        return None
    pk = getattr(value, "pk", value)
    company = Organization.objects.filter(
        pk=pk if str(pk).isdigit() else 0, kind=Organization.Kind.COMPANY, is_active=True
    ).first()
    if company is None:
        errors.append(FieldError("company", _("Choose a company that has an account on Doorstep, or none.")))
    return company


def clean_party(raw: Mapping[str, Any], *, partial: bool = False) -> CleanParty:
    errors: list[FieldError] = []
    clean = CleanParty()

    def wanted(name: str) -> bool:
        return not partial or name in raw

    if wanted("name"):
        name = " ".join(str(raw.get("name") or "").split())
        if not name:
            errors.append(FieldError("name", _("Give the name of the person or firm.")))
        elif len(name) > 200:
            errors.append(FieldError("name", _("Keep the name under 200 characters.")))
        clean.fields["name"] = name
    if wanted("kind"):
        kind = str(raw.get("kind") or "").strip().lower()
        if kind not in PartyKind.values:
            errors.append(
                FieldError(
                    "kind", _("Choose one of: %(choices)s.") % {"choices": ", ".join(PartyKind.values)}
                )
            )
        clean.fields["kind"] = kind
    if wanted("is_person"):
        clean.fields["is_person"] = str(raw.get("is_person")).lower() in ("true", "1", "yes", "on")
    if wanted("country"):
        country = str(raw.get("country") or "").strip().upper()
        if country and country not in dict(countries):
            errors.append(FieldError("country", _("Give a country as its two-letter code, e.g. IN or KE.")))
        clean.fields["country"] = country
    if wanted("locality"):
        clean.fields["locality"] = " ".join(str(raw.get("locality") or "").split())[:120]
    if wanted("identifiers"):
        clean.fields["identifiers"] = _identifiers(raw.get("identifiers"), errors)
    if wanted("sector"):
        clean.fields["sector"] = " ".join(str(raw.get("sector") or "").split())[:100]
    if wanted("site_address"):
        site = " ".join(str(raw.get("site_address") or "").split())
        if len(site) > 500:
            errors.append(FieldError("site_address", _("Keep the address under 500 characters.")))
        person = clean.fields.get(
            "is_person", str(raw.get("is_person")).lower() in ("true", "1", "yes", "on")
        )
        if site and person:
            errors.append(
                FieldError(
                    "site_address",
                    _person_address(),
                )
            )
        clean.fields["site_address"] = site
    if wanted("company") or "company_id" in raw:
        clean.fields["company"] = _company(raw.get("company", raw.get("company_id")), errors)
    for name in CONTACT_FIELDS:
        if not wanted(name):
            continue
        value = raw.get(name)
        if name == "phones":
            if isinstance(value, str):
                value = [p for p in re.split(r"[,;\n]+", value)]
            clean.contact[name] = [" ".join(str(p).split())[:40] for p in value or [] if str(p).strip()][:5]
        elif name == "email":
            email = str(value or "").strip()
            if email and not _EMAIL.match(email):
                errors.append(FieldError("email", _("Give an e-mail address like name@example.org.")))
            clean.contact[name] = email
        else:
            clean.contact[name] = str(value or "").strip()[:2000]
    if errors:
        raise ValidationError(message=_("Some of the work giver's details are not valid."), errors=errors)
    return clean


def _unique_error() -> ValidationError:
    return ValidationError.for_field(
        "name",
        _("There is already a work giver with this name, kind and place."),
        code="duplicate",
    )


def create_party(organization: Organization, *, data: Mapping[str, Any], actor) -> Party:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    clean = clean_party(data)
    contact = {name: clean.contact.get(name, [] if name == "phones" else "") for name in CONTACT_FIELDS}
    try:
        with transaction.atomic():
            key = vault.new_subject_key(organization)
            party = Party.objects.create(
                organization=organization,
                subject_key=key,
                contact=vault.seal(key, contact, purpose=CONTACT_PURPOSE),
                **clean.fields,
            )
            audit.record("party.created", actor=actor, organization=organization, obj=party)
    except IntegrityError:
        raise _unique_error() from None
    return party


def update_party(party: Party, *, data: Mapping[str, Any], actor) -> Party:
    tenancy.require_role(actor, party.organization_id, STAFF_ROLES)
    clean = clean_party(data, partial=True)
    if clean.fields.get("is_person", party.is_person) and clean.fields.get(
        "site_address", party.site_address
    ):
        raise ValidationError.for_field(
            "site_address",
            _person_address(),
        )
    try:
        with transaction.atomic():
            for name, value in clean.fields.items():
                setattr(party, name, value)
            if clean.contact:
                contact = vault.open_sealed(party.subject_key, bytes(party.contact), purpose=CONTACT_PURPOSE)
                contact.update(clean.contact)
                party.contact = vault.seal(party.subject_key, contact, purpose=CONTACT_PURPOSE)
            if "is_active" in data:
                party.is_active = str(data["is_active"]).lower() in ("true", "1", "yes", "on")
            party.save()
            audit.record(
                "party.updated",
                actor=actor,
                organization=party.organization_id,
                obj=party,
                metadata={"fields": sorted([*clean.fields, *clean.contact])},
            )
    except IntegrityError:
        raise _unique_error() from None
    return party


def reveal_contact(parties, *, actor, reason: str) -> dict[int, dict]:
    """The parties' decrypted contact details; one audit event per organization."""
    parties = list(parties)
    for organization_id in {p.organization_id for p in parties}:
        tenancy.require_role(actor, organization_id, STAFF_ROLES)
    revealed = {
        p.pk: vault.open_sealed(p.subject_key, bytes(p.contact), purpose=CONTACT_PURPOSE) for p in parties
    }
    audit.record_reads(
        "party.contact_read",
        actor=actor,
        rows=parties,
        object_type="supplychains.party",
        ids_key="party_ids",
        reason=reason,
    )
    return revealed


# Links: the steps of a chain -------------------------------------------------------------------------


def clean_link(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Confidence, evidence, note and dates of a link; ``ValidationError`` naming each bad field."""
    errors: list[FieldError] = []
    clean = {
        "confidence": inputs.choice(raw.get("confidence") or "likely", "confidence", Confidence, errors),
        "evidence": inputs.choice(raw.get("evidence"), "evidence", EvidenceKind, errors, required=True),
        "note": str(raw.get("note") or "").strip()[:2000],
        "started_on": inputs.date_value(raw.get("started_on"), "started_on", errors),
        "ended_on": inputs.date_value(raw.get("ended_on"), "ended_on", errors),
    }
    if clean["started_on"] and clean["ended_on"] and clean["ended_on"] < clean["started_on"]:
        errors.append(FieldError("ended_on", _("The end comes before the start.")))
    if errors:
        raise ValidationError(message=_("The link is not saved."), errors=errors)
    return clean


def _upstream(party: Party) -> set[int]:
    """Every party that buys, directly or further up, from ``party`` (itself included)."""
    found, frontier = {party.pk}, {party.pk}
    while frontier:
        frontier = (
            set(PartyLink.objects.filter(seller_id__in=frontier).values_list("buyer_id", flat=True)) - found
        )
        found |= frontier
    return found


def add_link(buyer: Party, seller: Party, raw: Mapping[str, Any], *, actor) -> PartyLink:
    """``buyer`` buys from (or gives work to) ``seller``. Both must be the organization's; a link
    that would close a loop (the seller already buys, further up, from the buyer) is refused."""
    tenancy.require_role(actor, buyer.organization_id, STAFF_ROLES)
    if seller.organization_id != buyer.organization_id:
        raise ValidationError.for_field("seller_id", _("Choose one of your own work givers."))
    if seller.pk == buyer.pk:
        raise ValidationError.for_field("seller_id", _("A party cannot buy from itself."))
    clean = clean_link(raw)
    with transaction.atomic():
        if seller.pk in _upstream(buyer):
            raise ValidationError.for_field(
                "seller_id",
                _("%(seller)s already buys from %(buyer)s, further up the chain: this would make a loop.")
                % {"seller": seller.name, "buyer": buyer.name},
            )
        if PartyLink.objects.filter(buyer=buyer, seller=seller).exists():
            raise ValidationError.for_field("seller_id", _("This link is already recorded."))
        link = PartyLink.objects.create(
            organization_id=buyer.organization_id, buyer=buyer, seller=seller, created_by=actor, **clean
        )
        audit.record(
            "party.linked",
            actor=actor,
            organization=buyer.organization_id,
            obj=link,
            metadata={"buyer_id": buyer.pk, "seller_id": seller.pk, "confidence": link.confidence},
        )
    return link


def remove_link(link: PartyLink, *, actor) -> None:
    tenancy.require_role(actor, link.organization_id, STAFF_ROLES)
    with transaction.atomic():
        audit.record(
            "party.unlinked",
            actor=actor,
            organization=link.organization_id,
            obj=link,
            metadata={"buyer_id": link.buyer_id, "seller_id": link.seller_id},
        )
        link.delete()


# Due diligence: the organization's narrative to a company, and the company's commitments ----------------


def save_narrative(organization: Organization, company: Organization, texts: Mapping[str, str], *, actor):
    """The organization's words to a company, step by step (a blank text clears that step)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    if company.kind != Organization.Kind.COMPANY:
        raise ValidationError.for_field("company", _("Choose a company."))
    errors = [
        FieldError(step, _("Keep each part under 20,000 characters."))
        for step, text in texts.items()
        if len(str(text or "")) > 20000
    ]
    unknown = sorted(set(texts) - set(DiligenceStep.values))
    if unknown:
        errors.append(
            FieldError(
                unknown[0],
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(DiligenceStep.values)},
            )
        )
    if errors:
        raise ValidationError(message=_("The narrative is not saved."), errors=errors)
    with transaction.atomic():
        for step, text in texts.items():
            DossierNarrative.objects.update_or_create(
                organization=organization,
                company=company,
                step=step,
                defaults={"text": str(text or "").strip(), "updated_by": actor},
            )
        audit.record(
            "dossier.narrative_saved",
            actor=actor,
            organization=organization,
            metadata={"company_id": company.pk, "steps": sorted(texts)},
        )


def clean_commitment(raw: Mapping[str, Any]) -> dict[str, Any]:
    errors: list[FieldError] = []
    clean = {
        "step": inputs.choice(raw.get("step") or "prevent", "step", DiligenceStep, errors),
        "action": str(raw.get("action") or "").strip(),
        "owner": " ".join(str(raw.get("owner") or "").split()),
        "deadline": inputs.date_value(raw.get("deadline"), "deadline", errors),
    }
    if not clean["action"]:
        errors.append(FieldError("action", _("Say what the company will do.")))
    elif len(clean["action"]) > 2000:
        errors.append(FieldError("action", _("Keep the action under 2,000 characters.")))
    if not clean["owner"]:
        errors.append(FieldError("owner", _("Say who at the company answers for it.")))
    elif len(clean["owner"]) > 200:
        errors.append(FieldError("owner", _("Keep this under 200 characters.")))
    if clean["deadline"] is None and not any(e.field == "deadline" for e in errors):
        errors.append(FieldError("deadline", _("Give a deadline.")))
    if errors:
        raise ValidationError(message=_("The commitment is not saved."), errors=errors)
    return clean


def add_commitment(company: Organization, organization: Organization, raw: Mapping[str, Any], *, actor):
    """A company commits to an organization that shares with it for due diligence."""
    tenancy.require_role(actor, company, {Role.COMPANY, Role.ORG_ADMIN})
    if company.kind != Organization.Kind.COMPANY:
        raise ValidationError.for_field("company_id", _("Only a company makes commitments here."))

    if organization.pk not in sharing_with_company(company):
        raise ValidationError.for_field(
            "organization_id", _("This organization does not share with you for due diligence today.")
        )
    clean = clean_commitment(raw)
    with transaction.atomic():
        commitment = Commitment.objects.create(
            organization=organization, company=company, created_by=actor, **clean
        )
        for owner in (organization, company):
            audit.record(
                "commitment.made",
                actor=actor,
                organization=owner,
                obj=commitment,
                metadata={"company_id": company.pk, "deadline": clean["deadline"].isoformat()},
            )
    return commitment


def track_commitment(commitment: Commitment, raw: Mapping[str, Any], *, actor) -> Commitment:
    """The organization records where a commitment stands (status and its note)."""
    tenancy.require_role(actor, commitment.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    status = inputs.choice(raw.get("status") or commitment.status, "status", CommitmentStatus, errors)
    note = str(raw.get("note", commitment.note) or "").strip()
    if len(note) > 5000:
        errors.append(FieldError("note", _("Keep the note under 5,000 characters.")))
    if errors:
        raise ValidationError(message=_("The commitment is not updated."), errors=errors)

    with transaction.atomic():
        if status != commitment.status:
            commitment.status_changed_at = timezone.now()
            commitment.status_changed_by = actor
        before = commitment.status
        commitment.status, commitment.note = status, note
        commitment.save()
        audit.record(
            "commitment.tracked",
            actor=actor,
            organization=commitment.organization_id,
            obj=commitment,
            metadata={"from": before, "to": status},
        )
    return commitment


# Supplier lists ---------------------------------------------------------------------------------------


def _known_parties(organization) -> list:
    return [
        matching.Known(
            p.pk,
            p.name,
            p.country.code or "",
            p.site_address,
            tuple(f"{i['scheme']}:{i['value']}".lower() for i in p.identifiers),
        )
        for p in Party.objects.filter(organization=organization, is_person=False).only(
            "pk", "name", "country", "site_address", "identifiers"
        )
    ]


def match_supplier_rows(organization, rows, *, actor, job) -> list[int]:
    """Write one batch of a supplier list (inside the import's transaction): each facility matched to
    the organization's parties, linked, queued for review, or added as a new supplier."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    supplier_list, _created = SupplierList.objects.get_or_create(
        organization=organization,
        import_job=job,
        defaults={"name": job.filename[:200], "created_by": actor},
    )
    known = _known_parties(organization)
    found = matching.match_all(
        [
            (c["name"], c["country"], c["address"], (f"os_id:{c['os_id']}".lower(),) if c["os_id"] else ())
            for _r, c in rows
        ],
        known,
    )
    parties = {p.pk: p for p in Party.objects.filter(pk__in={m.party_id for m in found if m.party_id})}
    created: dict[tuple[str, str], Party] = {}  # the same new firm twice in one list is one party
    made, now = [], timezone.now()
    for (row_number, clean), match in zip(rows, found, strict=True):
        candidate = parties.get(match.party_id)
        outcome, party = MatchOutcome.REVIEW, None
        if match.outcome == "link":
            outcome, party = MatchOutcome.LINKED, candidate
            _add_os_id(party, clean["os_id"])
        elif match.outcome == "new":
            key = (matching.name_key(clean["name"]), clean["country"])
            party = created.get(key)
            if party is None:
                party = created[key] = _supplier_party(organization, clean, actor=actor)
            outcome = MatchOutcome.CREATED
        made.append(
            SupplierListRow(
                organization=organization,
                supplier_list=supplier_list,
                row=row_number,
                name=clean["name"],
                address=clean["address"],
                country=clean["country"],
                sector=clean["sector"],
                os_id=clean["os_id"],
                candidate=candidate,
                score=match.score,
                outcome=outcome,
                party=party,
                decided_at=now if outcome != MatchOutcome.REVIEW else None,
            )
        )
    SupplierListRow.objects.bulk_create(made)
    audit.record(
        "supplier_list.matched",
        actor=actor,
        organization=organization,
        obj=supplier_list,
        metadata={
            "rows": len(made),
            "linked": sum(1 for r in made if r.outcome == MatchOutcome.LINKED),
            "review": sum(1 for r in made if r.outcome == MatchOutcome.REVIEW),
            "created": sum(1 for r in made if r.outcome == MatchOutcome.CREATED),
        },
    )
    return [r.pk for r in made if r.pk]


def _add_os_id(party: Party, os_id: str) -> None:
    if os_id and not any(i["scheme"] == "os_id" for i in party.identifiers):
        party.identifiers = [*party.identifiers, {"scheme": "os_id", "value": os_id}]
        party.save(update_fields=["identifiers", "updated_at"])


def _supplier_party(organization, clean: dict, *, actor) -> Party:
    """A new supplier from a list row (or the existing party of that exact name, kind and place)."""
    existing = Party.objects.filter(
        organization=organization,
        name=clean["name"],
        kind=PartyKind.SUPPLIER,
        country=clean["country"],
        locality="",
    ).first()
    if existing is not None:
        return existing
    return create_party(
        organization,
        data={
            "name": clean["name"],
            "kind": PartyKind.SUPPLIER,
            "country": clean["country"],
            "site_address": clean["address"],
            "sector": clean["sector"],
            "identifiers": [{"scheme": "os_id", "value": clean["os_id"]}] if clean["os_id"] else [],
        },
        actor=actor,
    )


def decide_supplier_row(row, decision: str, *, actor, party: Party | None = None):
    """A person's decision on a facility waiting for review: ``same`` (it is the candidate), ``other``
    (it is ``party``, another of the organization's) or ``new`` (a firm not known yet)."""
    tenancy.require_role(actor, row.organization_id, STAFF_ROLES)
    if row.outcome != MatchOutcome.REVIEW:
        raise ValidationError.for_field(
            "decision", _("This facility has already been decided."), code="decided"
        )
    with transaction.atomic():
        if decision == "same" and row.candidate_id:
            row.party, row.outcome = row.candidate, MatchOutcome.CONFIRMED
        elif decision == "other" and party is not None:
            if party.organization_id != row.organization_id:
                raise ValidationError.for_field("party_id", _("Choose one of your own work givers."))
            row.party, row.outcome = party, MatchOutcome.CONFIRMED
        elif decision == "new":
            clean = {
                "name": row.name,
                "country": row.country.code,
                "address": row.address,
                "sector": row.sector,
                "os_id": row.os_id,
            }
            row.party, row.outcome = (
                _supplier_party(row.organization, clean, actor=actor),
                MatchOutcome.CREATED,
            )
        else:
            raise ValidationError.for_field(
                "decision", _("Say whether it is the work giver suggested, another one, or a new one.")
            )
        if row.outcome == MatchOutcome.CONFIRMED:
            _add_os_id(row.party, row.os_id)
        row.decided_by, row.decided_at = actor, timezone.now()
        row.save()
        audit.record(
            "supplier_list.decided",
            actor=actor,
            organization=row.organization_id,
            obj=row,
            metadata={"decision": decision, "party_id": row.party_id},
        )
    return row
