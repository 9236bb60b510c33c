from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyChainsConfig(AppConfig):
    name = "doorstep.supplychains"
    label = "supplychains"
    verbose_name = _("Supply chains")

    def ready(self) -> None:
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import STAFF_ROLES

        register(
            NavItem("parties", _("Work givers"), "parties", roles=STAFF_ROLES, in_organization=True, order=30)
        )
