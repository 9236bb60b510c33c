"""Releasing shared figures: each table that leaves an organization is recorded in the audit log of
the recipient and of every organization whose data it was made from (what was asked, never values)."""

import io

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyarrow import csv as arrow_csv

from doorstep.core import audit, cells, inputs, tenancy
from doorstep.core.disclosure import TOTAL
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import Role

from . import queries
from .models import Licence, Release


def release(ask: queries.Ask, *, actor, channel: str) -> queries.Figures:
    """The figures as they leave the organization (protected, then perturbed), audited."""
    result = queries.perturbed(queries.figures(ask))
    metadata = {
        "dataset": ask.dataset,
        "purpose": ask.purpose,
        "group_by": list(ask.group_by),
        "from": ask.start.isoformat() if ask.start else "",
        "to": ask.end.isoformat() if ask.end else "",
        "k": result.k,
        "suppressed_cells": result.suppressed_count,
        "channel": channel,
    }
    audit.record("aggregates.released", actor=actor, organization=ask.recipient, metadata=metadata)
    for organization in result.organizations:
        audit.record(
            "aggregates.shared",
            actor=actor,
            organization=organization,
            metadata=metadata | {"recipient_id": ask.recipient.pk},
        )
    return result


# Open-data releases ---------------------------------------------------------------------------------

# The tables a network may publish: (dataset, dimensions).
RELEASE_TABLES = {
    "work-sector": ("work", ("sector",)),
    "work-country": ("work", ("country",)),
    "work-month": ("work", ("month",)),
    "work-category": ("work", ("category",)),
    "members-category": ("members", ("category",)),
    "members-country": ("members", ("country",)),
    "members-sector": ("members", ("sector",)),
    "members-country-category": ("members", ("country", "category")),
}
FIGURE_COLUMNS = (
    "workers",
    "orders",
    "median_net_hourly",
    "currency",
    "median_minimum_wage_ratio",
    "below_minimum_percent",
    "median_payment_delay_days",
    "rejection_percent",
    "cancellation_percent",
)


def publish_release(network, *, data: dict, actor):
    """Publish the chosen tables of the network's shared figures, frozen now, as CSV and Parquet with
    a data dictionary, under the licence chosen. Only a network's admins and analysts publish."""
    tenancy.require_role(actor, network, {Role.ORG_ADMIN, Role.NETWORK_ANALYST})
    errors: list[FieldError] = []
    if not network.is_network:
        errors.append(FieldError("organization", _("Only a network publishes open data.")))
    title = (data.get("title") or "").strip()
    if not title:
        errors.append(FieldError("title", _("Give the release a title.")))
    licence = data.get("licence") or ""
    if licence not in Licence.values:  # SPDX identifiers, taken as they are
        errors.append(
            FieldError(
                "licence", _("Choose a licence: %(choices)s.") % {"choices": ", ".join(Licence.values)}
            )
        )
    chosen = data.get("tables") or []
    if isinstance(chosen, str):
        chosen = [chosen]
    unknown = [code for code in chosen if code not in RELEASE_TABLES]
    if unknown or not chosen:
        errors.append(
            FieldError(
                "tables",
                _("Choose one or more of: %(choices)s.") % {"choices": ", ".join(RELEASE_TABLES)},
            )
        )
    start, end = inputs.period(data.get("starts_on"), data.get("ends_on"), errors, ("starts_on", "ends_on"))
    if errors:
        raise ValidationError(message=_("The release is not published."), errors=errors)
    results = []
    for code in chosen:
        dataset, group_by = RELEASE_TABLES[code]
        try:
            ask = queries.ask(
                network,
                dataset=dataset,
                group_by=list(group_by),
                purpose="network_statistics",
                start=start,
                end=end,
            )
        except ValidationError as problem:  # a period off the lattice: name the release's fields
            fields = {"from": "starts_on", "to": "ends_on", "period": "starts_on"}
            raise ValidationError(
                message=_("The release is not published."),
                errors=[FieldError(fields.get(e.field, e.field), e.message) for e in problem.errors],
            ) from None
        results.append((code, release(ask, actor=actor, channel="open data")))
    if not any(result.rows for _code, result in results):
        reason = next((result.reason for _code, result in results if result.reason), "")
        raise ValidationError.for_field("tables", reason or _("These tables have no figures to publish."))
    table = _release_table(results)
    with transaction.atomic():
        made = Release.objects.create(
            organization=network,
            title=title[:200],
            description=(data.get("description") or "").strip()[:4000],
            licence=licence,
            starts_on=start,
            ends_on=end,
            tables=[[code, list(RELEASE_TABLES[code][1])] for code in chosen],
            k=max(result.k for _code, result in results),
            organizations=sorted({o.name for _code, result in results for o in result.organizations}),
            figures_as_of=next((r.refreshed_at for _c, r in results if r.refreshed_at), None),
            data_csv=b"",
            data_parquet=b"",
            dictionary_csv=b"",
            rows=table.num_rows,
            published_by=actor,
        )
        made.data_csv = _csv_bytes(table)
        made.data_parquet = _parquet_bytes(table, made)
        made.dictionary_csv = _dictionary(made)
        made.save(update_fields=["data_csv", "data_parquet", "dictionary_csv"])
        audit.record(
            "open_data.published",
            actor=actor,
            organization=network,
            obj=made,
            metadata={"tables": chosen, "licence": licence, "rows": table.num_rows},
        )
    return made


def withdraw_release(made, *, actor):
    """Take a release off the public pages (its files stop being served; the record stays)."""
    tenancy.require_role(actor, made.organization_id, {Role.ORG_ADMIN, Role.NETWORK_ANALYST})
    if made.withdrawn_at is None:
        made.withdrawn_at = timezone.now()
        made.save(update_fields=["withdrawn_at"])
        audit.record("open_data.withdrawn", actor=actor, organization=made.organization, obj=made)
    return made


def _release_table(results):
    """One row per cell of every table: the table, up to two dimensions (code, value, label), the
    figures (blank where withheld) and why a cell is withheld."""
    columns: dict[str, list] = {
        name: []
        for name in (
            "table",
            "dimension_1",
            "value_1",
            "label_1",
            "dimension_2",
            "value_2",
            "label_2",
            *FIGURE_COLUMNS,
            "withheld",
        )
    }
    for code, result in results:
        group_by = result.ask.group_by
        for row in result.rows:
            columns["table"].append(code)
            for index in (0, 1):
                present = index < len(group_by)
                columns[f"dimension_{index + 1}"].append(group_by[index] if present else None)
                value = row.key[index] if present else None
                columns[f"value_{index + 1}"].append(
                    None if value is None else "ALL" if value == TOTAL else str(value)
                )
                columns[f"label_{index + 1}"].append(row.labels[index] if present else None)
            for name in FIGURE_COLUMNS:
                value = row.figures.get(name)
                if name in ("workers", "orders"):
                    columns[name].append(None if value is None else int(value))
                elif name == "currency":
                    columns[name].append(value or None)
                else:
                    columns[name].append(None if value in (None, "") else float(value))
            columns["withheld"].append(
                {"primary": "fewer than k workers", "complementary": "would give away another cell"}.get(
                    row.suppressed
                )
            )
    types = {"workers": pa.int64(), "orders": pa.int64(), "currency": pa.string()}
    arrays = {
        name: pa.array(values, type=types.get(name, pa.float64() if name in FIGURE_COLUMNS else pa.string()))
        for name, values in columns.items()
    }
    return pa.table(arrays)


def _csv_bytes(table) -> bytes:
    out = io.BytesIO()
    arrow_csv.write_csv(cells.neutralize_table(table), out)
    return out.getvalue()


def _parquet_bytes(table, made) -> bytes:
    metadata = {
        b"title": made.title.encode(),
        b"licence": made.licence.encode(),
        b"k": str(made.k).encode(),
        b"publisher": made.organization.name.encode(),
    }
    out = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), out, compression="zstd")
    return out.getvalue()


DICTIONARY = (
    ("table", "text", "Which table the row belongs to: the dataset and what it is grouped by."),
    ("dimension_1", "text", "The first dimension the table is grouped by."),
    ("value_1", "text", "The row's value of that dimension (a stable code); ALL in a total."),
    ("label_1", "text", "The same, as people read it."),
    ("dimension_2", "text", "The second dimension, in a two-way table (else blank)."),
    ("value_2", "text", "The row's value of the second dimension; ALL in a total."),
    ("label_2", "text", "The same, as people read it."),
    ("workers", "integer", "Workers counted (grouped by month: worker-months). Each worker is counted once."),
    ("orders", "integer", "Work orders of those workers."),
    (
        "median_net_hourly",
        "decimal",
        "Median over workers of each worker's median net earnings an hour "
        "(pay less her costs, over her and her unpaid helpers' hours); only where the cell has one currency.",
    ),
    ("currency", "text", "ISO 4217 code of median_net_hourly."),
    (
        "median_minimum_wage_ratio",
        "decimal",
        "Median over workers of net hourly earnings ÷ the statutory "
        "minimum wage an hour for her area, sector and skill (1 = the minimum wage).",
    ),
    (
        "below_minimum_percent",
        "decimal",
        "Percent of workers (with a benchmark) whose median ratio is below 1.",
    ),
    ("median_payment_delay_days", "decimal", "Median over workers of days from delivery to full payment."),
    ("rejection_percent", "decimal", "Pieces rejected, in percent of pieces delivered."),
    ("cancellation_percent", "decimal", "Orders cancelled, in percent of orders."),
    (
        "withheld",
        "text",
        "Why a cell's figures are blank: fewer than k workers, or it would give away another cell.",
    ),
)


def _dictionary(made) -> bytes:
    out = io.StringIO()
    writer = cells.writer(out)
    writer.writerow(["column", "type", "meaning"])
    writer.writerows(DICTIONARY)
    writer.writerow([])
    writer.writerow(["title", made.title, ""])
    writer.writerow(["publisher", made.organization.name, ""])
    writer.writerow(["licence", made.licence, made.licence_link])
    writer.writerow(["period", f"{made.starts_on or ''} to {made.ends_on or ''}", ""])
    writer.writerow(["k", made.k, "cells of fewer workers are withheld, with enough others"])
    writer.writerow(["organizations", "; ".join(made.organizations), ""])
    writer.writerow(["figures as of", made.figures_as_of.isoformat() if made.figures_as_of else "", ""])
    writer.writerow(["method", str(queries.METHOD), ""])
    return out.getvalue().encode()
