"""Rows kept in an order of their own (a bulletin's sections, a report's sections): moving one up or
down swaps it with its neighbour and renumbers them from 1, under a lock."""

from django.db import transaction


def move(item, siblings, *, up: bool) -> None:
    """Swap ``item`` with the row before it (``up``) or after it among ``siblings`` (a queryset of
    rows with a ``position``), then number them 1, 2, 3…"""
    with transaction.atomic():
        rows = list(siblings.select_for_update().order_by("position", "pk"))
        index = next(i for i, row in enumerate(rows) if row.pk == item.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
        for position, row in enumerate(rows, start=1):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
