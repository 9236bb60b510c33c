from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "doorstep.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        from doorstep.core import rights
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import STAFF_ROLES, Role
        from doorstep.organizations.models import Organization

        from .services import erase_rows, export_sections, move_rows

        rights.register("elections", export=export_sections, erase=erase_rows, merge=move_rows)

        register(
            NavItem(
                "elections",
                _("Elections"),
                "election_list",
                roles=STAFF_ROLES,
                in_organization=True,
                order=88,
                more=True,
            )
        )
        register(
            NavItem(
                "election_turnout",
                _("Election turnout"),
                "election_turnout",
                roles=frozenset({Role.ORG_ADMIN, Role.ORGANIZER, Role.NETWORK_ANALYST}),
                in_organization=True,
                organization_kinds=Organization.NETWORK_KINDS,
                order=89,
                more=True,
            )
        )
