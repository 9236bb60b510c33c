"""Cursor pagination for every API list (keyset on the primary key, so pages stay stable while rows
are added, and a page at a million rows costs the same as the first)."""

import base64
import binascii
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from .errors import ValidationError


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"pk:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = text.split(":", 1)
        if kind != "pk":
            raise ValueError
        return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationError.for_field("query.cursor", "This cursor is not one this API gave out.") from None


def page_of(
    queryset: QuerySet,
    *,
    limit: int,
    cursor: str | None,
    newest_first: bool = False,
    held: str | None = None,
) -> tuple[list, str | None]:
    """One page of ``queryset`` in id order (newest first if asked) after ``cursor``, and the cursor
    of the next page.

    ``held``: a column the queryset holds to one value (``organization_id``, as ``core.tenancy``
    scopes it). The page is then read in (column, id) order, the same order, from that index:
    PostgreSQL otherwise walks the ids from the first, and for the newest organization of a million
    members (all of whose ids come last, which its statistics cannot tell) it read a million rows
    to find fifty."""
    order = "-pk" if newest_first else "pk"
    if held is not None:
        queryset = queryset.order_by(f"-{held}" if newest_first else held, order)
    else:
        queryset = queryset.order_by(order)
    if cursor:
        position = decode_cursor(cursor)
        queryset = queryset.filter(pk__lt=position) if newest_first else queryset.filter(pk__gt=position)
    rows = list(queryset[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1].pk) if has_more else None)


class CursorPagination(PaginationBase):
    class Input(Schema):
        limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
        cursor: str | None = None

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(
            None, description="Pass as ?cursor= for the next page; null on the last page."
        )

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request, **params) -> dict:
        rows, next_cursor = page_of(queryset, limit=pagination.limit, cursor=pagination.cursor)
        return {"items": rows, "next": next_cursor}


def next_page_query(request, next_cursor: str | None) -> str:
    """The query string of a page's "next page" link: its filters kept, the cursor replaced; '' on
    the last page."""
    if not next_cursor:
        return ""
    query = request.GET.copy()
    query["cursor"] = next_cursor
    return query.urlencode()
