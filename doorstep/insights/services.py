"""Releasing shared figures: each table that leaves an organization is recorded in the audit log of
the recipient and of every organization whose data it was made from (what was asked, never values)."""

from doorstep.core import audit

from . import queries


def release(ask: queries.Ask, *, actor, channel: str) -> queries.Figures:
    result = queries.figures(ask)
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
