"""The plain way, kept apart from the product: members, work and cases read through the ORM and
gathered in Python, one row at a time, with ``Decimal`` and ``statistics.median``. Nothing answers a
request this way (the analytics engine does); it is the baseline ``make bench`` measures the engine
against, and the oracle the engine's tests compare with (``orm_table``: the aggregates door's table of
a checked request, from the live tables)."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Subquery

from doorstep.core import disclosure
from doorstep.grievances.queries import cases_shared
from doorstep.insights.queries import (
    CONSENT_FOR_SHARING,
    NOT_RECORDED,
    Ask,
    Figures,
    Row,
    _labeller,
    _rows,
    _text,
)
from doorstep.members.analytics import place
from doorstep.members.queries import consenting_members
from doorstep.organizations.models import Organization, SharingPurpose
from doorstep.organizations.queries import sharing_organization_ids
from doorstep.supplychains.queries import company_chain
from doorstep.work.queries import orders_shared


@dataclass
class _Unit:
    cell: tuple = ()
    attributes: dict = field(default_factory=dict)
    orders: list = field(
        default_factory=list
    )  # (currency, net_hourly, ratio, delay, delivered, rejected, status)


def _her_attributes(category, gender, country, admin1, admin2, organization_id) -> dict:
    """A member's own attributes, as cells group them."""
    return {
        "category": category,
        "gender": gender,
        "country": country,
        "admin1": place(admin1),
        "admin2": place(admin2),
        "organization": organization_id,
    }


def _settled(per_unit: dict, votes: dict, group_by: tuple) -> dict:
    """Place each unit in its cell: for the attributes of her orders or cases, the value most of them
    have (a tie goes to the first in order)."""
    for key, unit in per_unit.items():
        for code, counter in votes[key].items():
            unit.attributes[code] = min(counter.items(), key=lambda item: (-item[1], str(item[0])))[0]
        unit.cell = tuple(unit.attributes.get(code, NOT_RECORDED) for code in group_by)
    return per_unit


def orm_table(ask: Ask) -> Figures:
    """The table of a checked request, computed from the live tables."""
    organization_ids = (
        [ask.recipient.pk]
        if ask.own
        else sharing_organization_ids(ask.recipient, ask.purpose, ask.dataset, ask.on)
    )
    organizations = list(Organization.objects.filter(pk__in=organization_ids).order_by("name"))
    unit = "worker_month" if "month" in ask.group_by else "worker"
    if not organizations:
        return Figures(ask, disclosure.DEFAULT_K, unit, [], [], "")
    k = max(disclosure.checked_k(o.disclosure_k) for o in organizations)
    chain = None
    if ask.purpose == SharingPurpose.COMPANY_DUE_DILIGENCE:
        chain = company_chain(ask.recipient, organization_ids)
    consenting = consenting_members(organization_ids, CONSENT_FOR_SHARING[ask.purpose], ask.on)
    if ask.dataset == "members":
        units = _member_units(consenting, ask)
    elif ask.dataset == "grievances":
        units = _grievance_units(consenting, organization_ids, ask, chain)
    else:
        units = _work_units(consenting, organization_ids, ask, chain)
    return Figures(ask, k, unit, organizations, _unit_rows(ask, units, k, chain))


def _unit_rows(ask: Ask, units: dict, k: int, chain: dict | None) -> list[Row]:
    """The suppressed rows of units gathered in Python, each with her orders or cases."""
    dims = len(ask.group_by)
    protected = disclosure.protect(((u.cell, key) for key, u in units.items()), k=k, dims=dims)
    members_by_key: dict[tuple, list[_Unit]] = defaultdict(list)
    for u in units.values():
        for key in _cell_and_margins(u.cell, dims):
            members_by_key[key].append(u)
    labels = _labeller(ask, {u.cell for u in units.values()}, chain)
    return _rows(ask, protected, labels, lambda key: _figures_of(members_by_key.get(key, []), ask.dataset))


def _member_units(consenting, ask: Ask) -> dict:
    units = {}
    rows = consenting.filter(status="active").values_list(
        "pk", "category", "gender", "sectors", "country", "admin1", "admin2", "organization_id"
    )
    for pk, category, gender, sectors, country, admin1, admin2, organization_id in rows.iterator():
        attributes = _her_attributes(category, gender, country, admin1, admin2, organization_id)
        attributes["sector"] = (sectors or [NOT_RECORDED])[0]  # the first she gave
        units[pk] = _Unit(tuple(attributes[code] for code in ask.group_by))
    return units


def _work_units(consenting, organization_ids, ask: Ask, chain: dict | None) -> dict:
    orders = orders_shared(organization_ids, Subquery(consenting.values("pk")), ask.start, ask.end)
    if chain is not None:
        orders = orders.filter(party_id__in=list(chain))
    per_unit: dict = {}
    votes: dict = defaultdict(lambda: defaultdict(Counter))
    for (
        member_id,
        category,
        gender,
        country,
        admin1,
        admin2,
        organization_id,
        party_id,
        sector,
        given_on,
        *values,
    ) in orders.values_list(
        "member_id",
        "member__category",
        "member__gender",
        "member__country",
        "member__admin1",
        "member__admin2",
        "organization_id",
        "party_id",
        "sector",
        "given_on",
        "currency",
        "net_hourly",
        "mw_ratio",
        "payment_delay_days",
        "delivered_qty",
        "rejected_qty",
        "status",
    ).iterator(chunk_size=5000):
        month = given_on.strftime("%Y-%m")
        key = (member_id, month) if "month" in ask.group_by else member_id
        unit = per_unit.get(key)
        if unit is None:
            unit = per_unit[key] = _Unit()
            unit.attributes = _her_attributes(category, gender, country, admin1, admin2, organization_id)
            unit.attributes["month"] = month
        unit.orders.append(values)
        if chain is not None:
            votes[key]["party"][chain[party_id].party] += 1
            votes[key]["supplier"][chain[party_id].supplier] += 1
        votes[key]["sector"][sector] += 1
    return _settled(per_unit, votes, ask.group_by)


def _grievance_units(consenting, organization_ids, ask: Ask, chain: dict | None) -> dict:
    """One unit per member named on a case: her own attributes, and for the problem, status and work
    giver the value most of her cases have; her cases (ids, so a collective case counts once a cell)."""
    rows, parties = cases_shared(organization_ids, Subquery(consenting.values("pk")), ask.start, ask.end)
    per_unit: dict = {}
    votes: dict = defaultdict(lambda: defaultdict(Counter))
    for (
        member_id,
        category,
        gender,
        country,
        admin1,
        admin2,
        organization_id,
        case_id,
        problem,
        status,
        opened,
        finished,
    ) in rows:
        case_parties = parties.get(case_id, [])
        if chain is not None:
            case_parties = [p for p in case_parties if p in chain]
            if not case_parties:
                continue  # a case about someone outside the company's chain is none of its business
        unit = per_unit.get(member_id)
        if unit is None:
            unit = per_unit[member_id] = _Unit()
            unit.attributes = _her_attributes(category, gender, country, admin1, admin2, organization_id)
        unit.orders.append((case_id, status, opened, finished))
        votes[member_id]["problem"][problem] += 1
        votes[member_id]["case_status"][status] += 1
        for party_id in case_parties:
            if chain is not None:
                votes[member_id]["party"][chain[party_id].party] += 1
    return _settled(per_unit, votes, ask.group_by)


def _cell_and_margins(cell: tuple, dims: int) -> list[tuple]:
    total = disclosure.TOTAL
    if dims == 1:
        return [cell, (total,)]
    return [cell, (cell[0], total), (total, cell[1]), (total, total)]


def _median(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return Decimal(statistics.median(values)) if values else None


def _figures_of(units: list[_Unit], dataset: str) -> dict:
    if dataset == "members":
        return {"workers": len(units)}
    if dataset == "grievances":
        cases = {
            case_id: (status, opened, finished)
            for unit in units
            for case_id, status, opened, finished in unit.orders
        }
        resolved = [
            (finished - opened).days
            for status, opened, finished in cases.values()
            if status == "resolved" and finished
        ]
        return {
            "workers": len(units),
            "cases": len(cases),
            "resolved_percent": _text(Decimal(100) * len(resolved) / len(cases), "0.1") if cases else None,
            "median_days_to_resolution": _text(_median(resolved), "0.1"),
        }
    orders = [order for unit in units for order in unit.orders]
    currencies = {order[0] for order in orders}
    hourly = [_median(order[1] for order in unit.orders) for unit in units]
    ratios = [r for r in (_median(order[2] for order in unit.orders) for unit in units) if r is not None]
    delays = [_median(order[3] for order in unit.orders) for unit in units]
    delivered = sum((order[4] for order in orders), Decimal(0))
    rejected = sum((order[5] for order in orders), Decimal(0))
    cancelled = sum(1 for order in orders if order[6] == "cancelled")
    hundred = Decimal(100)
    return {
        "workers": len(units),
        "orders": len(orders),
        # Earnings in money only where the cell's orders share one currency; the ratio compares anywhere.
        "median_net_hourly": _text(_median(hourly), "0.01") if len(currencies) == 1 else None,
        "currency": next(iter(currencies)) if len(currencies) == 1 else "",
        "median_minimum_wage_ratio": _text(_median(ratios), "0.01"),
        "below_minimum_percent": _text(hundred * sum(1 for r in ratios if r < 1) / len(ratios), "0.1")
        if ratios
        else None,
        "median_payment_delay_days": _text(_median(delays), "0.1"),
        "rejection_percent": _text(hundred * rejected / delivered, "0.1") if delivered else None,
        "cancellation_percent": _text(hundred * cancelled / len(orders), "0.1") if orders else None,
    }
