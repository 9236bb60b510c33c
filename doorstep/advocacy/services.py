"""Writes of the legal tracker. Network people keep it; every change keeps the value before it,
with who, when, the source and why."""

import re
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, PermissionDenied, ValidationError
from doorstep.core.html import clean_html
from doorstep.core.roles import Role

from .models import Coverage, Fact, LegalFact, LegalFactChange

EDITOR_ROLES = frozenset({Role.ORGANIZER, Role.ORG_ADMIN, Role.NETWORK_ANALYST})
_AS_OF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_OR_YEAR = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def may_edit(user) -> bool:
    """People of a network (its staff or analysts) keep the tracker, and the platform admin."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    from doorstep.organizations.models import Organization

    ids = tenancy.organization_ids(user, EDITOR_ROLES)
    return Organization.objects.filter(
        pk__in=ids, kind__in=Organization.NETWORK_KINDS, is_active=True
    ).exists()


def check_country(code: str) -> str:
    code = (code or "").upper()
    if code not in dict(countries):
        raise ValidationError.for_field("country", _("Unknown country code: %(code)s.") % {"code": code[:10]})
    return code


def _date_or_year(text, field: str, errors: list) -> str:
    text = (text or "").strip()
    if not _DATE_OR_YEAR.match(text):
        errors.append(FieldError(field, _("Give a year (2002) or a date (2002-07-24).")))
        return text
    if len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:
            errors.append(FieldError(field, _("This date does not exist.")))
    return text


def clean_value(fact: str, data: dict) -> dict:
    """The fact's value in its shape, or ``ValidationError`` naming each wrong field."""
    errors: list[FieldError] = []
    if fact == Fact.C177_RATIFIED:
        ratified = bool(data.get("ratified", True))
        value = {"ratified": ratified, "on": _date_or_year(data.get("on"), "on", errors) if ratified else ""}
    elif fact == Fact.C177_IN_FORCE:
        value = {"on": _date_or_year(data.get("on"), "on", errors)}
    elif fact == Fact.HOMEWORK_LAW:
        name = (data.get("name") or "").strip()
        if not name:
            errors.append(FieldError("name", _("Give the law's or policy's name.")))
        year = data.get("year")
        if year not in (None, ""):
            try:
                year = int(year)
            except (TypeError, ValueError):
                year = -1
            if not 1800 <= year <= 2100:
                errors.append(FieldError("year", _("Give the year it was passed, e.g. 2008.")))
        value = {
            "name": name[:300],
            "year": year if year not in (None, "") else None,
            "covers": (data.get("covers") or "").strip()[:1000],
            "link": _link(data.get("link"), errors),
        }
    elif fact in (Fact.MINIMUM_WAGE, Fact.SOCIAL_SECURITY, Fact.SAFETY):
        coverage = data.get("coverage") or ""
        if coverage not in Coverage.values:
            errors.append(
                FieldError("coverage", _("Choose covered, partly covered, not covered or not known."))
            )
        value = {"coverage": coverage, "note": (data.get("note") or "").strip()[:1000]}
    elif fact == Fact.ILO_COMMENTS:
        text = (data.get("text") or "").strip()
        if not text:
            errors.append(FieldError("text", _("Summarize what the ILO said.")))
        value = {"text": text[:4000], "link": _link(data.get("link"), errors)}
    else:
        raise ValidationError.for_field("fact", _("Unknown fact."))
    if errors:
        raise ValidationError(message=_("The fact could not be saved."), errors=errors)
    return value


def _link(raw, errors: list) -> str:
    link = (raw or "").strip()
    if link and not link.lower().startswith(("http://", "https://")):
        errors.append(FieldError("link", _("A link must start with http:// or https://.")))
    return link[:500]


def save_fact(country: str, fact: str, *, data: dict, actor) -> LegalFact:
    """Set one fact of a country's law, with its source; the change is kept in its history."""
    if not may_edit(actor):
        raise PermissionDenied()
    country = check_country(country)
    if fact not in Fact.values:
        raise ValidationError.for_field("fact", _("Unknown fact."))
    value = clean_value(fact, data)
    errors = []
    source = (data.get("source") or "").strip()
    if not source:
        errors.append(FieldError("source", _("Every fact needs its source: a law, an ILO page, a report.")))
    as_of = (data.get("as_of") or "").strip()
    if as_of and not _AS_OF.match(as_of):
        errors.append(FieldError("as_of", _("Give the source's date as 2024, 2024-05 or 2024-05-31.")))
    if errors:
        raise ValidationError(message=_("The fact could not be saved."), errors=errors)
    with transaction.atomic():
        found, _created = LegalFact.objects.select_for_update().get_or_create(
            country=country, fact=fact, defaults={"value": value, "source": source[:1000], "as_of": as_of}
        )
        found.value, found.source, found.as_of, found.updated_by = value, source[:1000], as_of, actor
        found.save()
        LegalFactChange.objects.create(
            fact=found,
            value=value,
            source=source[:1000],
            as_of=as_of,
            note=(data.get("note_why") or "").strip()[:500],
            changed_by=actor,
        )
        audit.record("legal_fact.saved", actor=actor, obj=found, metadata={"country": country, "fact": fact})
    return found


# Campaigns ------------------------------------------------------------------------------------------

CAMPAIGN_ROLES = frozenset({Role.ORGANIZER, Role.ORG_ADMIN})


def _campaign_fields(data: dict, organization) -> tuple[dict, list]:
    from doorstep.organizations.models import Organization

    from .models import Campaign

    errors: list[FieldError] = []
    fields = {}
    if "title" in data:
        fields["title"] = (data["title"] or "").strip()[:200]
        if not fields["title"]:
            errors.append(FieldError("title", _("A campaign needs a title.")))
    if "summary" in data:
        fields["summary"] = clean_html(data["summary"] or "")
    if "status" in data:
        if data["status"] not in Campaign.Status.values:
            errors.append(FieldError("status", _("Unknown status.")))
        fields["status"] = data["status"]
    for name in ("starts_on", "ends_on", "is_public"):
        if name in data:
            fields[name] = data[name]
    participants = None
    if "participants" in data:
        ids = {getattr(o, "pk", o) for o in data["participants"] or []} - {organization.pk}
        participants = list(
            Organization.objects.filter(pk__in=ids, is_active=True).exclude(kind=Organization.Kind.COMPANY)
        )
        if len(participants) != len(ids):
            errors.append(FieldError("participants", _("Choose active organizations (not a company).")))
    return fields, participants, errors


def save_campaign(organization, *, data: dict, campaign=None, actor):
    """Create or change a campaign the organization leads (only the fields given)."""
    from .models import Campaign

    tenancy.require_role(actor, organization, CAMPAIGN_ROLES)
    if campaign is None:
        data = {"title": "", **data}
    fields, participants, errors = _campaign_fields(data, organization)
    starts = fields.get("starts_on", getattr(campaign, "starts_on", None))
    ends = fields.get("ends_on", getattr(campaign, "ends_on", None))
    if starts and ends and ends < starts:
        errors.append(FieldError("ends_on", _("A campaign cannot end before it starts.")))
    if errors:
        raise ValidationError(message=_("The campaign could not be saved."), errors=errors)
    with transaction.atomic():
        campaign = campaign or Campaign(organization=organization, created_by=actor)
        for name, value in fields.items():
            setattr(campaign, name, value)
        campaign.save()
        if participants is not None:
            campaign.participants.set(participants)
        audit.record(
            "campaign.saved",
            actor=actor,
            organization=organization,
            obj=campaign,
            metadata={"fields": sorted(fields)},
        )
    return campaign


def _check_lead(campaign, actor) -> None:
    tenancy.require_role(actor, campaign.organization_id, CAMPAIGN_ROLES)


def add_demand(campaign, *, text: str, actor):
    from .models import Demand

    _check_lead(campaign, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError.for_field("text", _("Write the demand."))
    with transaction.atomic():
        last = campaign.demands.order_by("-position").values_list("position", flat=True).first() or 0
        demand = Demand.objects.create(
            organization_id=campaign.organization_id, campaign=campaign, position=last + 1, text=text[:500]
        )
        audit.record("campaign.demand_added", actor=actor, organization=campaign.organization_id, obj=demand)
    return demand


def set_demand_status(demand, *, status: str, actor):
    from .models import Demand

    _check_lead(demand.campaign, actor)
    if status not in Demand.Status.values:
        raise ValidationError.for_field("status", _("Unknown status."))
    with transaction.atomic():
        Demand.objects.filter(pk=demand.pk).update(status=status)
        audit.record(
            "campaign.demand_status",
            actor=actor,
            organization=demand.organization_id,
            obj=demand,
            metadata={"status": status},
        )
    demand.status = status
    return demand


def add_target(campaign, *, data: dict, actor):
    from .models import Target

    _check_lead(campaign, actor)
    errors = []
    name = (data.get("name") or "").strip()
    if not name:
        errors.append(FieldError("name", _("Name the target: a ministry, a company, an employers' body.")))
    if data.get("kind") not in Target.Kind.values:
        errors.append(FieldError("kind", _("Unknown kind of target.")))
    country = (data.get("country") or "").upper()
    if country and country not in dict(countries):
        errors.append(FieldError("country", _("Unknown country code: %(code)s.") % {"code": country[:10]}))
    if errors:
        raise ValidationError(message=_("The target could not be saved."), errors=errors)
    with transaction.atomic():
        target = Target.objects.create(
            organization_id=campaign.organization_id,
            campaign=campaign,
            kind=data["kind"],
            name=name[:200],
            country=country,
        )
        audit.record("campaign.target_added", actor=actor, organization=campaign.organization_id, obj=target)
    return target


def add_action(campaign, *, data: dict, actor):
    from .models import CampaignAction

    _check_lead(campaign, actor)
    errors = []
    if not data.get("on"):
        errors.append(FieldError("on", _("Give the date of the action.")))
    if data.get("kind") not in CampaignAction.Kind.values:
        errors.append(FieldError("kind", _("Unknown kind of action.")))
    description = (data.get("description") or "").strip()
    if not description:
        errors.append(FieldError("description", _("Say what was done.")))
    target = data.get("target")
    if target is not None and getattr(target, "campaign_id", None) != campaign.pk:
        errors.append(FieldError("target", _("Choose one of this campaign's targets.")))
    if errors:
        raise ValidationError(message=_("The action could not be saved."), errors=errors)
    with transaction.atomic():
        action = CampaignAction.objects.create(
            organization_id=campaign.organization_id,
            campaign=campaign,
            on=data["on"],
            kind=data["kind"],
            description=description[:1000],
            outcome=(data.get("outcome") or "").strip()[:1000],
            target=target,
        )
        audit.record("campaign.action_added", actor=actor, organization=campaign.organization_id, obj=action)
    return action
