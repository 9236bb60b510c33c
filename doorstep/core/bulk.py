"""Bulk inserts for imports and synthetic data: one ``executemany`` per table, each value prepared by
its Django field (so JSON, UUIDs, dates and binary data are stored exactly as the ORM would store
them), without building a model instance per row."""

from collections.abc import Callable, Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model

# Field types whose values go to every database as they are (strings, numbers, booleans, bytes).
_AS_IS = {
    "CharField",
    "TextField",
    "SlugField",
    "IntegerField",
    "PositiveIntegerField",
    "BigIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "SmallIntegerField",
    "BooleanField",
    "BinaryField",
}
# Field types whose values repeat across a batch (a date, the batch's timestamp): prepared once each.
_REPEATING = {"DateField", "DateTimeField"}


def _preparer(field: Field, connection) -> Callable:
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in _AS_IS:
        return lambda value: value
    if kind not in _REPEATING:
        return lambda value: field.get_db_prep_save(value, connection)
    memo: dict = {}

    def prepare(value):
        try:
            return memo[value]
        except KeyError:
            memo[value] = prepared = field.get_db_prep_save(value, connection)
            return prepared

    return prepare


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``, field names) into ``model``'s table."""
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in columns]
    prepare = [_preparer(field, connection) for field in fields]
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; every value is a parameter.
    names = ", ".join(quote(f.column) for f in fields)
    parameters = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({parameters})"  # noqa: S608
    prepared = [tuple(p(value) for p, value in zip(prepare, row, strict=True)) for row in rows]
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
    return len(prepared)
