"""`python -m doorstep upgrade --check`: which migrations `migrate` would run, and which of their
statements may be long or take locks that stop writes on PostgreSQL (read from the SQL each
migration would run on this database), with the rows of each table concerned."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# (pattern in the SQL, why it matters); the first match names the statement's risk.
RISKS = [
    (re.compile(r"ALTER COLUMN \S+ TYPE", re.I), "changes a column's type: may rewrite the table"),
    (re.compile(r'INSERT INTO "new__', re.I), "copies the whole table into a new one (SQLite)"),
    (re.compile(r"SET NOT NULL", re.I), "checks every row for NULL while blocking the table"),
    (re.compile(r"CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)", re.I), "builds an index while blocking writes"),
    (re.compile(r"ADD CONSTRAINT (?!.*NOT VALID)", re.I), "checks every row while blocking writes"),
    (re.compile(r"ADD COLUMN .* DEFAULT .*\(", re.I), "fills a new column with a computed default: rewrites"),
    (re.compile(r"Raw (Python|SQL) operation", re.I), "runs code over the data"),
]
_TABLE = re.compile(r'(?:ALTER TABLE|ON|INTO|UPDATE)\s+"?(?:new__)?(\w+)"?', re.I)


class Command(BaseCommand):
    help = (
        "With --check: say which migrations `migrate` will run and which statements may be long or "
        "lock a table on PostgreSQL; changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", required=True)

    def handle(self, *args, **options):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            self.stdout.write("Up to date: no migration to run.")
            return
        tables = set(connection.introspection.table_names())
        risky = 0
        self.stdout.write(f"{len(plan)} migrations will run:")
        for migration, backwards in plan:
            if backwards:
                raise CommandError(f"{migration.app_label}.{migration.name} would be unapplied; stop.")
            self.stdout.write(f"  {migration.app_label}.{migration.name}")
            for statement in executor.loader.collect_sql([(migration, False)]):
                reason = next((why for pattern, why in RISKS if pattern.search(statement)), "")
                match = _TABLE.search(statement)
                table, rows = (match.group(1) if match else ""), ""
                code = "runs code" in reason
                if not reason or (not code and table not in tables):
                    continue  # quick, or on a table this migration plan creates (still empty)
                risky += 1
                table = "data" if code else table
                if table in tables:
                    with connection.cursor() as cursor:
                        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                        rows = f", {cursor.fetchone()[0]} rows"
                self.stdout.write(f"    ! {table}{rows}: {reason}")
        self.stdout.write(
            f"{risky} statements to watch; run `migrate` in a quiet hour, after a backup."
            if risky
            else "No statement should be long or lock a table."
        )
