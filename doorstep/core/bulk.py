"""Bulk inserts for imports and synthetic data: one ``COPY`` (PostgreSQL) or ``executemany`` in
batches (SQLite) per table, each value prepared by its Django field (so JSON, UUIDs, dates and binary
data are stored exactly as the ORM would store them), without building a model instance per row."""

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
    # Callers pass Decimal (never float); both drivers take it as it is (Django registers the SQLite
    # adapter). Running each value through DecimalField.get_db_prep_save costs a context
    # quantize per value: a third of recomputing a million work orders.
    "DecimalField",
    "AutoField",
    "BigAutoField",
}
# Field types whose values repeat across a batch (a date, the batch's timestamp): prepared once each.
_REPEATING = {"DateField", "DateTimeField"}


def _preparer(field: Field, connection) -> Callable | None:
    """How to prepare the field's values for the driver; None when they go as they are."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind not in _REPEATING:
        return lambda value: field.get_db_prep_save(value, connection)
    if connection.vendor == "postgresql":
        return None  # psycopg adapts dates and aware datetimes itself, as Django would pass them
    memo: dict = {}

    def prepare(value):
        try:
            return memo[value]
        except KeyError:
            memo[value] = prepared = field.get_db_prep_save(value, connection)
            return prepared

    return prepare


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``, field names) into ``model``'s table.

    PostgreSQL: one ``COPY … FROM STDIN``, several times faster than inserts over a million rows.
    SQLite: ``executemany`` of one prepared insert, in batches of ``SQLITE_BATCH`` rows."""
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in columns]
    prepare = [_preparer(field, connection) for field in fields]
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; every value is a parameter or copied data.
    names = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in _prepared_each(prepare, rows):
                    copy.write_row(row)
                    count += 1
            return count
        parameters = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({names}) VALUES ({parameters})"  # noqa: S608
        batch: list[tuple] = []
        for row in _prepared_each(prepare, rows):
            batch.append(row)
            if len(batch) == SQLITE_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


SQLITE_BATCH = 50_000


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` primary keys for rows about to be inserted with ``insert_rows`` (so that children can
    name their parents without reading the ids back). PostgreSQL: taken from the table's sequence,
    safe beside other writers. SQLite: the ones after the largest; SQLite has one writer at a time,
    and the caller holds the write transaction."""
    if count <= 0:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({quote(meta.pk.column)}), 0) FROM {quote(meta.db_table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def _prepared_each(prepare: list[Callable | None], rows: Iterable[Sequence]):
    """Each row as a tuple, its values prepared by their columns' preparers (where one is needed)."""
    needed = [(index, p) for index, p in enumerate(prepare) if p is not None]
    width = len(prepare)
    for row in rows:
        values = list(row)
        if len(values) != width:
            raise ValueError(f"a row has {len(values)} values for {width} columns")
        for index, p in needed:
            values[index] = p(values[index])
        yield tuple(values)


def update_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Set ``columns`` (field names) of many rows by primary key: ``rows`` are ``(pk, *values)``.

    SQLite: one ``executemany`` of ``UPDATE … WHERE pk = ?``. PostgreSQL: the rows are copied
    (``COPY``) into a temporary table and applied with one ``UPDATE … FROM`` — per-row statements
    would take many times longer over a million rows.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    fields = [meta.pk] + [meta.get_field(name) for name in columns]
    prepare = [_preparer(field, connection) for field in fields]
    prepared = list(_prepared_each(prepare, rows))
    if not prepared:
        return 0
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    names = [quote(f.column) for f in fields[1:]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            temp = quote(f"_update_{meta.db_table}")
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {temp} AS SELECT {pk}, {', '.join(names)} FROM {table} WITH NO DATA"  # noqa: S608
            )
            with cursor.copy(f"COPY {temp} ({pk}, {', '.join(names)}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            assignments = ", ".join(f"{name} = source.{name}" for name in names)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {temp} AS source WHERE {table}.{pk} = source.{pk}"  # noqa: S608
            )
            cursor.execute(f"DROP TABLE {temp}")
        else:
            assignments = ", ".join(f"{name} = %s" for name in names)
            sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
            cursor.executemany(sql, [(*row[1:], row[0]) for row in prepared])
    return len(prepared)
