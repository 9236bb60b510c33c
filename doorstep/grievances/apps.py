from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "doorstep.grievances"
    label = "grievances"
    verbose_name = _("Grievances")

    def ready(self) -> None:
        from doorstep.core import rights
        from doorstep.core.navigation import NavItem, register, register_panel
        from doorstep.core.roles import STAFF_ROLES

        from . import services
        from .views import deadlines_panel

        register(
            NavItem(
                "grievances", _("Grievances"), "grievances", roles=STAFF_ROLES, in_organization=True, order=28
            )
        )
        register_panel("grievance_deadlines", deadlines_panel, roles=STAFF_ROLES)
        rights.register(
            "grievances",
            export=services.export_sections,
            erase=services.erase_rows,
            merge=services.move_cases,
        )
