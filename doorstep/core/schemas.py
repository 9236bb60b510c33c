"""API conventions shared by every endpoint (docs/api.md says them in prose).

- Errors: ``{"detail": "...", "code": "...", "errors": [{"field": "...", "message": "..."}]}``.
- Lists: cursor pagination, ``?limit=`` (1 to 500, default 50) and ``?cursor=``; the page is
  ``{"items": [...], "next": "<cursor>" | null}``.
- Dates and times: ISO 8601 (``2026-11-23``, ``2026-11-23T10:00:00Z``).
- Money: ``{"amount": "12.50", "currency": "INR"}``: the amount a decimal string, never a float,
  the currency an ISO 4217 code.
- Codes (kinds, statuses, categories, roles…): typed with ``codes()``, so that a wrong code fails at
  the schema, naming the field and the codes allowed, and the OpenAPI document lists them.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.db import models
from ninja import Schema
from pydantic import Field, field_serializer


def codes(choices: type[models.Choices] | Iterable[str], *, blank: bool = False) -> Any:
    """The codes of a ``TextChoices`` (or of a fixed list of codes kept in one constant) as a
    ``Literal`` type for a schema field; ``blank``: "" is allowed too (a field left blank).

    A ``Literal`` rather than the ``TextChoices`` itself: the codes appear inline in the OpenAPI
    document (ninja keeps one component per class name, and several apps have a ``Status`` or a
    ``Kind``, which would overwrite each other), and services keep receiving plain strings."""
    found = choices.values if isinstance(choices, type) and issubclass(choices, models.Choices) else choices
    values = tuple(str(code) for code in found)
    if blank and "" not in values:
        values = (*values, "")
    return Literal[values]  # type: ignore[valid-type]


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    code: str = "error"
    errors: list[FieldErrorOut] = []


class Money(Schema):
    amount: Decimal = Field(description='A decimal string, e.g. "12.50".')
    currency: str = Field(min_length=3, max_length=3, pattern="^[A-Z]{3}$", description="ISO 4217 code.")

    @field_serializer("amount")
    def _amount_as_string(self, amount: Decimal) -> str:
        return format(amount, "f")


class Period(Schema):
    """``?from=&to=``: a span of days (either end may be left open)."""

    from_: date | None = Field(None, alias="from", description="On or after this day.")
    to: date | None = Field(None, description="On or before this day.")
