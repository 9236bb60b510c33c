from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "doorstep.network"
    label = "network"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from doorstep.core.navigation import NavItem, register, register_public
        from doorstep.core.roles import STAFF_ROLES

        register(
            NavItem(
                "network",
                _("Directory and affiliations"),
                "network_home",
                roles=STAFF_ROLES,
                in_organization=True,
                order=82,
            )
        )
        register_public("directory", _("Directory"), "directory", order=10)
