"""`python -m doorstep synth --members N --orders-per-member M --seed S`: write realistic,
deterministic synthetic data through the bulk paths (see ``doorstep.bench.synth``)."""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from doorstep.bench import synth


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, required=True, help="Members in all (e.g. 1000000).")
        parser.add_argument(
            "--orders-per-member", type=float, default=10, help="Work orders per member on average."
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data.")
        parser.add_argument(
            "--organizations", type=int, default=0, help="How many organizations (default: one per 25,000)."
        )
        parser.add_argument(
            "--submissions-per-member", type=float, default=0.1, help="Survey submissions per member."
        )
        parser.add_argument("--prefix", default="synth", help="Start of the organizations' short names.")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes writing at once (PostgreSQL; SQLite has one writer). Default: one a core.",
        )

    def handle(
        self,
        *args,
        members,
        orders_per_member,
        seed,
        organizations,
        submissions_per_member,
        prefix,
        workers,
        **options,
    ):
        try:
            plan = synth.Plan(
                members=members,
                orders_per_member=orders_per_member,
                seed=seed,
                organizations=organizations,
                submissions_per_member=submissions_per_member,
                prefix=prefix,
                workers=max(1, workers),
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        started = time.perf_counter()
        self.stdout.write(
            f"Writing {plan.members:,} members in {plan.organizations} organizations, "
            f"{plan.orders_per_member:g} orders each on average, seed {plan.seed}, on {connection.vendor}"
        )
        verbose = options["verbosity"] > 1

        def say(line: str) -> None:
            if verbose:
                self.stdout.write("  " + line)

        try:
            written = synth.run(plan, say=say)
        except ValueError as error:
            raise CommandError(str(error)) from None
        took = time.perf_counter() - started
        self.stdout.write(
            f"Wrote {written.organizations} organizations (network {written.network}), {written.members:,} "
            f"members, {written.consents:,} consents, {written.orders:,} work orders, {written.deliveries:,} "
            f"deliveries, {written.payments:,} payments, {written.costs:,} costs, {written.submissions:,} "
            f"submissions in {took:.1f} s"
        )
