"""Cells of the CSV and XLSX files Doorstep writes: text a spreadsheet program would run as a formula
is neutralized (OWASP's rule against CSV injection).

A work giver renamed ``=HYPERLINK("https://…","Pay")`` would otherwise reach a company's downloads
as a live formula. Every writer goes through ``writer``/``dict_writer`` (CSV), ``neutralize_table``
(Arrow's CSV) or ``neutralize`` (``core.xlsx``); ``core/tests/test_formulas.py`` fails on a
``csv.writer`` anywhere else.

The rule: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheet programs show as text. **A number is not
a formula**: a cell that is a number in full (``-12.5``, ``+3``, ``1e-3``) and every ``int``,
``float`` or ``Decimal`` stays as it is, so figures stay figures. The import reader takes the
apostrophe off again (``restore``), so a file Doorstep wrote reads back as it was.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

FORMULA_STARTS = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def neutralize(value: Any) -> Any:
    """The value as it is safe to write in a cell (see the module's rule)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralize_row(row: Iterable[Any]) -> list[Any]:
    return [neutralize(value) for value in row]


def restore(value: str) -> str:
    """A cell read back from a file: the apostrophe ``neutralize`` added is taken off."""
    if value[:1] == "'" and value[1:2] in FORMULA_STARTS and not _NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value


def neutralize_table(table: pa.Table) -> pa.Table:
    """An Arrow table about to be written as CSV, its text columns neutralized."""
    for index, column in enumerate(table.schema):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            values = [neutralize(value) for value in table.column(index).to_pylist()]
            table = table.set_column(index, column, pa.array(values, type=column.type))
    return table


class _Writer:
    def __init__(self, inner) -> None:
        self._inner = inner

    def writerow(self, row: Iterable[Any]):
        return self._inner.writerow(neutralize_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self._inner.writerow(neutralize_row(row))


class _DictWriter(_Writer):
    def writeheader(self):
        return self._inner.writerow({name: neutralize(name) for name in self._inner.fieldnames})

    def writerow(self, row: dict):
        return self._inner.writerow({key: neutralize(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.writerow(row)


def writer(target, *args, **kwargs) -> _Writer:
    """``csv.writer`` whose cells are neutralized."""
    return _Writer(csv.writer(target, *args, **kwargs))


def dict_writer(target, fieldnames, *args, **kwargs) -> _DictWriter:
    """``csv.DictWriter`` whose values (and header) are neutralized."""
    return _DictWriter(csv.DictWriter(target, fieldnames, *args, **kwargs))
