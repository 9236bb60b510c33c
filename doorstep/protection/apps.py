from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_catalogue(**kwargs) -> None:
    from .services import sync_catalogue

    sync_catalogue()


class ProtectionConfig(AppConfig):
    name = "doorstep.protection"
    label = "protection"
    verbose_name = _("Social protection")

    def ready(self) -> None:
        from doorstep.core import rights
        from doorstep.core.navigation import NavItem, register, register_panel
        from doorstep.core.roles import STAFF_ROLES

        from . import analytics
        from .services import erase_rows, export_sections, move_applications
        from .views import next_steps_panel

        register(
            NavItem(
                "protection",
                _("Social protection"),
                "protection",
                roles=STAFF_ROLES,
                in_organization=True,
                order=29,
            )
        )
        register_panel("protection_next_steps", next_steps_panel, roles=STAFF_ROLES)
        rights.register("protection", export=export_sections, erase=erase_rows, merge=move_applications)
        analytics.register()
        post_migrate.connect(_sync_catalogue, sender=self, dispatch_uid="protection.sync_catalogue")
