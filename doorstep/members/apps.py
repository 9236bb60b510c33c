from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "doorstep.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from doorstep.core import imports, rights
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import STAFF_ROLES, Role

        from . import analytics
        from .imports import member_import
        from .services.rights import erase_rows, export_sections

        register(
            NavItem("members", _("Members"), "members", roles=STAFF_ROLES, in_organization=True, order=20)
        )
        register(
            NavItem(
                "my_profile",
                _("My profile"),
                "my_profile",
                roles=frozenset({Role.WORKER}),
                in_organization=True,
                order=15,
            )
        )
        rights.register("members", export=export_sections, erase=erase_rows)
        imports.register_target(member_import)
        analytics.register()
