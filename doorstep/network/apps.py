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
                more=True,
            )
        )
        register_public("directory", _("Directory"), "directory", order=10)
        register_public("bulletins", _("Bulletins"), "bulletins", order=30)
        register_public("resources", _("Resources"), "resources", order=40)
        register_public("events", _("Events"), "events", order=50)
        register(
            NavItem(
                "events",
                _("Events"),
                "event_list",
                roles=STAFF_ROLES,
                in_organization=True,
                order=88,
                more=True,
            )
        )
        from doorstep.core import rights

        from .services import events

        rights.register(
            "network",
            export=events.export_registrations,
            erase=events.erase_registrations,
            merge=events.move_registrations,
        )
        register(
            NavItem(
                "resources",
                _("Library"),
                "resource_list",
                roles=STAFF_ROLES,
                in_organization=True,
                order=86,
                more=True,
            )
        )
        register(
            NavItem(
                "bulletins",
                _("Bulletins"),
                "bulletin_list",
                roles=STAFF_ROLES,
                in_organization=True,
                order=84,
                more=True,
            )
        )
