"""The roles a user holds in an organization (DESIGN.md section 1).

`platform_admin` is not a role held in an organization: it is Django's superuser flag, and it
gives no access to any organization's owned data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WORKER = "worker", _("Worker")
    ORGANIZER = "organizer", _("Organizer")
    ORG_ADMIN = "org_admin", _("Organization admin")
    NETWORK_ANALYST = "network_analyst", _("Network analyst")
    COMPANY = "company", _("Company contact")


# Who may read and write an organization's owned records (members, work, cases, surveys).
STAFF_ROLES: frozenset[Role] = frozenset({Role.ORGANIZER, Role.ORG_ADMIN})
# Who may manage users, keys, agreements and settings.
ADMIN_ROLES: frozenset[Role] = frozenset({Role.ORG_ADMIN})
ALL_ROLES: frozenset[Role] = frozenset(Role)
