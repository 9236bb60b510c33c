"""``python -m doorstep break_glass <org-slug> --username <platform admin> --reason "..."``: the one way
a platform admin takes a role in an organization (the admin site refuses it), on record: the reason
goes to the audit log and the organization's admins are told by e-mail."""

from django.core.management.base import BaseCommand, CommandError

from doorstep.core.errors import DomainError
from doorstep.core.roles import Role
from doorstep.organizations import services
from doorstep.organizations.models import Organization, User


class Command(BaseCommand):
    help = "Give a platform admin a role in an organization in an emergency, with a reason on record."

    def add_arguments(self, parser):
        parser.add_argument("organization", help="The organization's short name (slug).")
        parser.add_argument("--username", required=True, help="The platform admin who takes the role.")
        parser.add_argument("--role", default=Role.ORG_ADMIN.value, choices=Role.values)
        parser.add_argument(
            "--reason", required=True, help="Why, in a sentence (recorded, sent to its admins)."
        )

    def handle(self, *args, organization, username, role, reason, **options):
        org = Organization.objects.filter(slug=organization).first()
        if org is None:
            raise CommandError(f"No organization with the short name {organization!r}.")
        user = User.objects.filter(username=username, is_superuser=True, is_active=True).first()
        if user is None:
            raise CommandError(f"{username!r} is not an active platform admin.")
        try:
            services.break_glass(org, user=user, role=role, reason=reason)
        except DomainError as error:
            raise CommandError(" ".join(e.message for e in error.errors) or error.message) from None
        self.stdout.write(f"{username} is {role} in {org.slug}; its admins have been told.")
