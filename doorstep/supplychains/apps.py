from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyChainsConfig(AppConfig):
    name = "doorstep.supplychains"
    label = "supplychains"
    verbose_name = _("Supply chains")

    def ready(self) -> None:
        from doorstep.core import imports
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import STAFF_ROLES, Role
        from doorstep.organizations.models import Organization

        from .imports import supplier_list_import

        register(
            NavItem("parties", _("Work givers"), "parties", roles=STAFF_ROLES, in_organization=True, order=30)
        )
        imports.register_target(supplier_list_import)
        register(
            NavItem(
                "due_diligence",
                _("Due diligence"),
                "due_diligence",
                roles=frozenset({Role.COMPANY, Role.ORG_ADMIN}),
                in_organization=True,
                organization_kinds=frozenset({Organization.Kind.COMPANY}),
                order=35,
            )
        )
