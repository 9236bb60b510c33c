from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "doorstep.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from doorstep.core import rights
        from doorstep.core.navigation import NavItem, register, register_panel
        from doorstep.core.roles import STAFF_ROLES
        from doorstep.elections import eligibility

        from .queries import vote_withheld
        from .services.rights import erase_rows, export_sections, move_rows
        from .views import action_items_panel

        register(
            NavItem(
                "governance",
                _("Governance"),
                "governance",
                roles=STAFF_ROLES,
                in_organization=True,
                order=30,
            )
        )
        register_panel("governance_action_items", action_items_panel, roles=STAFF_ROLES)
        rights.register("governance", export=export_sections, erase=erase_rows, merge=move_rows)
        # Dues standing decides who is on an election's roll; elections never import governance.
        eligibility.register(vote_withheld)
