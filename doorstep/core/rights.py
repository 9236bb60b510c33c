"""A member's rights over her data: every app registers here what it holds about a member, so that
her export is complete and her erasure removes her everywhere. An app that stores anything about a
member and does not register is caught by ``members/tests/test_rights.py``.

``export(member) -> dict[str, list[dict]]``: section name -> rows (JSON-able values).
``erase(member) -> None``: delete the app's rows about her; runs inside the erasure's transaction,
before the member row and her key are destroyed.
``merge(other, survivor) -> None`` (optional): two records of one woman are merged; move the app's
rows from ``other`` to ``survivor`` (inside the merge's transaction).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RightsHandler:
    app: str
    export: Callable
    erase: Callable
    merge: Callable | None = None


_HANDLERS: dict[str, RightsHandler] = {}


def register(app: str, *, export: Callable, erase: Callable, merge: Callable | None = None) -> None:
    _HANDLERS[app] = RightsHandler(app, export, erase, merge)


def handlers() -> list[RightsHandler]:
    # Members last: other apps' rows point at the member and go first.
    return sorted(_HANDLERS.values(), key=lambda h: (h.app == "members", h.app))
