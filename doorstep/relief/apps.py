from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReliefConfig(AppConfig):
    name = "doorstep.relief"
    label = "relief"
    verbose_name = _("Relief")

    def ready(self) -> None:
        from doorstep.core import imports, rights
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import STAFF_ROLES

        from . import services
        from .imports import statement_import

        register(
            NavItem(
                "relief",
                _("Relief"),
                "relief_funds",
                roles=STAFF_ROLES,
                in_organization=True,
                order=88,
                more=True,
            )
        )
        imports.register_target(statement_import)
        rights.register("relief", export=services.export_sections, erase=services.erase_rows)
