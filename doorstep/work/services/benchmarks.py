"""What an organization holds its members' pay against: its own wage benchmarks (checked by
``clean_benchmark()``, added, deleted) and its late-payment threshold. Adding a minimum wage,
deleting a benchmark or changing the threshold recomputes the organization's orders in the
background once the change is committed (``work.tasks``)."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from doorstep.core import audit, money, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.inputs import choice as _choice
from doorstep.core.inputs import date_value as _date
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES
from doorstep.core.sectors import Sector
from doorstep.organizations.models import Organization

from ..models import BenchmarkKind, Period, WageBenchmark
from ..tasks import recompute_orders
from .validation import MAX_MONEY


def set_late_payment_days(organization: Organization, days, *, actor) -> Organization:
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    try:
        value = int(str(days).strip())
        if not 1 <= value <= 365:
            raise ValueError
    except ValueError:
        raise ValidationError.for_field(
            "late_payment_days", _("Give a number of days from 1 to 365.")
        ) from None
    with transaction.atomic():
        Organization.objects.filter(pk=organization.pk).update(late_payment_days=value)
        organization.late_payment_days = value
        audit.record(
            "work.settings_changed",
            actor=actor,
            organization=organization,
            metadata={"late_payment_days": value},
        )

    transaction.on_commit(lambda: recompute_orders.enqueue(organization.pk))
    return organization


def clean_benchmark(raw: Mapping[str, Any]) -> dict:
    errors: list[FieldError] = []
    language = translation.get_language() or "en"

    values: dict[str, Any] = {}
    values["kind"] = _choice(raw.get("kind"), "kind", BenchmarkKind, errors, required=True, language=language)
    country = str(raw.get("country") or "").strip().upper()
    if country not in dict(countries):
        errors.append(FieldError("country", _("Give a country as its two-letter code, e.g. IN or KE.")))
    values["country"] = country
    region = " ".join(str(raw.get("region") or "").split())[:120]
    values["region"] = region
    names = raw.get("region_names")
    if isinstance(names, str):
        names = names.split(";")
    names = [str(n).strip().lower() for n in (names or []) if str(n).strip()] or (
        [region.lower()] if region else []
    )
    values["region_names"] = names
    values["sector"] = _choice(raw.get("sector"), "sector", Sector, errors, language=language) or ""
    values["sector_text"] = str(raw.get("sector_text") or "").strip()[:200]
    values["skill"] = str(raw.get("skill") or "").strip()[:80]
    values["amount"] = money.decimal(
        raw.get("amount"), "amount", errors, required=True, positive=True, maximum=MAX_MONEY
    )
    values["currency"] = money.currency(raw.get("currency"), "currency", errors)
    values["period"] = _choice(raw.get("period"), "period", Period, errors, required=True, language=language)
    values["hours_per_day"] = money.decimal(
        raw.get("hours_per_day"), "hours_per_day", errors, places=2, maximum=Decimal(24)
    )
    values["days_per_month"] = money.decimal(
        raw.get("days_per_month"), "days_per_month", errors, places=2, maximum=Decimal(31)
    )
    if values["period"] in (Period.DAY, Period.MONTH) and not values["hours_per_day"]:
        errors.append(
            FieldError("hours_per_day", _("A daily or monthly wage needs its hours a day to become hourly."))
        )
    if values["period"] == Period.MONTH and not values["days_per_month"]:
        errors.append(
            FieldError("days_per_month", _("A monthly wage needs its days a month to become hourly."))
        )
    values["convention_note"] = str(raw.get("convention_note") or "").strip()[:300]
    values["effective_from"] = _date(raw.get("effective_from"), "effective_from", errors)
    if raw.get("effective_from") in (None, ""):
        errors.append(FieldError("effective_from", _("Give the date it is in force from.")))
    values["source"] = str(raw.get("source") or "").strip()[:500]
    if not values["source"]:
        errors.append(FieldError("source", _("Say where the figure comes from, so that it can be defended.")))
    values["notes"] = str(raw.get("notes") or "").strip()[:2000]
    if errors:
        raise ValidationError(message=_("Some of the benchmark's details are not valid."), errors=errors)
    return values


def create_benchmark(organization: Organization, *, data: Mapping[str, Any], actor) -> WageBenchmark:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    values = clean_benchmark(data)
    with transaction.atomic():
        benchmark = WageBenchmark.objects.create(organization=organization, created_by=actor, **values)
        audit.record("benchmark.created", actor=actor, organization=organization, obj=benchmark)
        if benchmark.kind == BenchmarkKind.MINIMUM_WAGE:
            transaction.on_commit(lambda: recompute_orders.enqueue(organization.pk))
    return benchmark


def delete_benchmark(benchmark: WageBenchmark, *, actor) -> None:
    tenancy.require_role(actor, benchmark.organization_id, STAFF_ROLES)
    organization_id = benchmark.organization_id
    with transaction.atomic():
        audit.record("benchmark.deleted", actor=actor, organization=organization_id, obj=benchmark)
        benchmark.delete()

        transaction.on_commit(lambda: recompute_orders.enqueue(organization_id))
