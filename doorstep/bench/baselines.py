"""The plain way, kept apart from the product: members, work and cases read through the ORM and
gathered in Python, one row at a time, with ``Decimal`` and ``statistics.median``. Nothing answers a
request this way (the analytics engine does); it is the baseline ``make bench`` measures the engine
against, and the oracle the engine's tests compare with (``orm_table``: the aggregates door's table of
a checked request, from the live tables)."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
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


# Hand-written PostgreSQL ------------------------------------------------------------------------
#
# What a competent user who knows SQL would write instead of Doorstep: one query per table on the
# live tables, with GROUPING SETS and percentile_cont, and the same filters as the engine (voided
# orders left out; consent as of the day asked, her latest event for the purpose; members merged
# into another left out). Cells under the threshold are dropped by HAVING (primary suppression
# only: the door also withholds complementary cells and adds noise, which this does not do, so the
# baseline does less work than Doorstep). PostgreSQL only.

SQL_ORG_CURRENCIES = """
SELECT currency, count(*) AS n FROM work_workorder
WHERE organization_id = %(organization)s AND voided_at IS NULL
GROUP BY currency ORDER BY n DESC, currency
"""
_SQL_ORG_ORDERS = """
organization_id = %(organization)s AND voided_at IS NULL AND currency = %(currency)s
AND (%(start)s::date IS NULL OR given_on >= %(start)s::date)
AND (%(end)s::date IS NULL OR given_on <= %(end)s::date)
"""
SQL_ORG_FIGURES = f"""
SELECT party_id, sector, to_char(given_on, 'YYYY-MM') AS month,
       CASE WHEN grouping(party_id) = 0 THEN 'party' WHEN grouping(sector) = 0 THEN 'sector'
            WHEN grouping(to_char(given_on, 'YYYY-MM')) = 0 THEN 'month' ELSE 'total' END AS level,
       count(*) AS orders,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY net_hourly) AS hourly,
       count(mw_ratio) AS with_ratio,
       count(*) FILTER (WHERE mw_ratio < 1) AS below,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY payment_delay_days) AS delay,
       coalesce(sum(shortfall) FILTER (WHERE shortfall > 0 AND status <> 'cancelled'), 0) AS owed,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY mw_ratio) AS ratio,
       count(*) FILTER (WHERE flag_below_minimum), count(*) FILTER (WHERE flag_late),
       count(*) FILTER (WHERE flag_unpaid), count(*) FILTER (WHERE flag_rejected_without_reason),
       count(*) FILTER (WHERE flag_cancelled_after_materials)
FROM work_workorder WHERE {_SQL_ORG_ORDERS}
GROUP BY GROUPING SETS ((), (party_id), (sector), (to_char(given_on, 'YYYY-MM')))
"""  # noqa: S608 - fixed text; values are parameters
SQL_ORG_DELAYS = f"""
SELECT CASE WHEN payment_delay_days IS NULL THEN NULL
            WHEN payment_delay_days <= 7 THEN 0 WHEN payment_delay_days <= 15 THEN 1
            WHEN payment_delay_days <= 30 THEN 2 WHEN payment_delay_days <= 60 THEN 3 ELSE 4 END AS band,
       count(*)
FROM work_workorder WHERE {_SQL_ORG_ORDERS}
  AND (payment_delay_days IS NOT NULL OR status IN ('delivered', 'partly_paid'))
GROUP BY band
"""  # noqa: S608 - fixed text; values are parameters
SQL_PARTY_NAMES = "SELECT id, name FROM supplychains_party WHERE organization_id = %(organization)s"


def sql_org_dashboard(organization_id: int, start=None, end=None) -> dict:
    """The organization's work dashboard (the engine's ``work.boards``) from the live tables in four
    queries: currencies, figures by grouping sets with the flags, payment delays by band, names of
    the work givers. Returns {"currency", "rows": [...], "delays": {...}, "names": {...}}."""
    with connection.cursor() as cursor:
        cursor.execute(SQL_ORG_CURRENCIES, {"organization": organization_id})
        used = [row[0] for row in cursor.fetchall()]
        if not used:
            return {"currency": "", "rows": [], "delays": {}, "names": {}}
        parameters = {"organization": organization_id, "currency": used[0], "start": start, "end": end}
        cursor.execute(SQL_ORG_FIGURES, parameters)
        rows = cursor.fetchall()
        cursor.execute(SQL_ORG_DELAYS, parameters)
        delays = dict(cursor.fetchall())
        cursor.execute(SQL_PARTY_NAMES, parameters)
        names = dict(cursor.fetchall())
    return {"currency": used[0], "rows": rows, "delays": delays, "names": names}


_SQL_CONSENTING = """
consenting AS (
  SELECT m.id, m.organization_id, m.country, m.status
  FROM members_member m
  WHERE m.organization_id = ANY(%(organizations)s) AND m.merged_into_id IS NULL
    AND (SELECT e.given FROM members_consentevent e
         WHERE e.member_id = m.id AND e.purpose = %(purpose)s AND e.effective_on <= %(on)s
         ORDER BY e.effective_on DESC, e.recorded_at DESC, e.id DESC LIMIT 1)
)
"""
SQL_NETWORK_MEMBERS = f"""
WITH {_SQL_CONSENTING}
SELECT CASE WHEN grouping({{column}}) = 1 THEN NULL ELSE {{column}}::text END AS cell,
       grouping({{column}}) AS margin, count(*) AS workers
FROM consenting WHERE status = 'active'
GROUP BY ROLLUP ({{column}}) HAVING count(*) >= %(k)s
"""  # noqa: S608 - fixed text; the column is one of ours; values are parameters
SQL_NETWORK_WORK = f"""
WITH {_SQL_CONSENTING},
worker AS (
  SELECT o.member_id, c.organization_id, c.country,
         mode() WITHIN GROUP (ORDER BY o.sector) AS sector,
         count(*) AS orders,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY o.net_hourly) AS hourly,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY o.mw_ratio) AS ratio,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY o.payment_delay_days) AS delay,
         sum(o.delivered_qty) AS delivered, sum(o.rejected_qty) AS rejected,
         count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled,
         min(o.currency) AS low_currency, max(o.currency) AS high_currency
  FROM work_workorder o JOIN consenting c ON c.id = o.member_id
  WHERE o.organization_id = ANY(%(organizations)s) AND o.voided_at IS NULL
    AND (%(start)s::date IS NULL OR o.given_on >= %(start)s::date)
    AND (%(end)s::date IS NULL OR o.given_on <= %(end)s::date)
  GROUP BY o.member_id, c.organization_id, c.country
)
SELECT CASE WHEN grouping({{column}}) = 1 THEN NULL ELSE {{column}}::text END AS cell,
       grouping({{column}}) AS margin,
       count(*) AS workers, sum(orders) AS orders,
       CASE WHEN min(low_currency) = max(high_currency)
            THEN percentile_cont(0.5) WITHIN GROUP (ORDER BY hourly) END AS median_net_hourly,
       min(low_currency) = max(high_currency) AS one_currency,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) AS median_minimum_wage_ratio,
       100.0 * count(*) FILTER (WHERE ratio < 1) / nullif(count(ratio), 0) AS below_minimum_percent,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY delay) AS median_payment_delay_days,
       100.0 * sum(rejected) / nullif(sum(delivered), 0) AS rejection_percent,
       100.0 * sum(cancelled) / nullif(sum(orders), 0) AS cancellation_percent
FROM worker
GROUP BY ROLLUP ({{column}}) HAVING count(*) >= %(k)s
"""  # noqa: S608 - fixed text; the column is one of ours; values are parameters
SQL_NETWORK_COLUMNS = {"sector": "sector", "organization": "organization_id", "country": "country"}


def sql_network_table(ask: Ask, k: int) -> dict:
    """One table of the network dashboard (one dimension: sector, organization or country) in one
    query: {cell (None: the total): (workers, …)} for the cells of at least ``k`` workers."""
    (code,) = ask.group_by
    column = SQL_NETWORK_COLUMNS[code]
    query = (SQL_NETWORK_MEMBERS if ask.dataset == "members" else SQL_NETWORK_WORK).format(column=column)
    parameters = {
        "organizations": sharing_organization_ids(ask.recipient, ask.purpose, ask.dataset, ask.on),
        "purpose": str(CONSENT_FOR_SHARING[ask.purpose]),
        "on": ask.on,
        "start": ask.start,
        "end": ask.end,
        "k": k,
    }
    with connection.cursor() as cursor:
        cursor.execute(query, parameters)
        return {row[0]: row[2:] for row in cursor.fetchall()}
