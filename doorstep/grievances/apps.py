from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "doorstep.grievances"
    label = "grievances"
    verbose_name = _("Grievances")

    def ready(self) -> None:
        from doorstep.core import rights
        from doorstep.core.navigation import NavItem, register, register_panel
        from doorstep.core.roles import STAFF_ROLES, Role
        from doorstep.organizations.models import Organization

        from . import analytics
        from .services.rights import erase_rows, export_sections, move_cases
        from .views import deadlines_panel

        register(
            NavItem(
                "grievances", _("Grievances"), "grievances", roles=STAFF_ROLES, in_organization=True, order=28
            )
        )
        register_panel("grievance_deadlines", deadlines_panel, roles=STAFF_ROLES)
        register(
            NavItem(
                "shared_cases",
                _("Cases shared with us"),
                "shared_cases",
                roles=frozenset({Role.COMPANY, Role.ORG_ADMIN}),
                in_organization=True,
                organization_kinds=frozenset({Organization.Kind.COMPANY}),
                order=36,
            )
        )
        rights.register(
            "grievances",
            export=export_sections,
            erase=erase_rows,
            merge=move_cases,
        )
        analytics.register()
