"""``python -m doorstep disclosure audit --recipient <slug>``: play the attacks of
``insights.attacks`` against live data for one recipient (a network, company or ally) and print
what it could learn: nothing, or each withheld cell it could pin and how narrowly. Needs scipy (the
dev extras)."""

from django.core.management.base import BaseCommand, CommandError

from doorstep.insights import attacks
from doorstep.organizations.models import Organization


class Command(BaseCommand):
    help = "Audit what a recipient of shared figures could work out (disclosure audit --recipient <slug>)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["audit"])
        parser.add_argument("--recipient", required=True, help="The network's, company's or ally's slug.")
        parser.add_argument(
            "--dataset",
            action="append",
            choices=["members", "work", "grievances"],
            help="Default: all three.",
        )

    def handle(self, *args, action, recipient, dataset, **options):
        found = Organization.objects.filter(slug=recipient).first()
        if found is None:
            raise CommandError(f"No organization has the slug {recipient!r}.")
        datasets = tuple(dataset or ("members", "work", "grievances"))
        self.stdout.write(f"Playing the attacks as {found.name} on: {', '.join(datasets)}")
        findings = attacks.findings(found, datasets=datasets)
        if not findings:
            self.stdout.write(
                self.style.SUCCESS(
                    "Nothing: every withheld cell keeps a feasible range at least k wide, given every "
                    "table this recipient can ask for (before noise)."
                )
            )
            return
        for finding in findings:
            self.stdout.write(self.style.WARNING(str(finding)))
        raise CommandError(f"{len(findings)} withheld cell(s) could be pinned narrower than k.")
