from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "doorstep.work"
    label = "work"
    verbose_name = _("Work and earnings")

    def ready(self) -> None:
        from doorstep.core import imports, rights
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import STAFF_ROLES, Role

        from . import analytics
        from .imports import work_order_import
        from .services.rights import erase_rows, export_sections, move_orders

        register(
            NavItem(
                "work", _("Work and pay"), "work_dashboard", roles=STAFF_ROLES, in_organization=True, order=25
            )
        )
        register(
            NavItem(
                "my_passbook",
                _("My passbook"),
                "my_passbook",
                roles=frozenset({Role.WORKER}),
                in_organization=True,
                order=16,
            )
        )
        register(NavItem("fair_rate", _("Fair piece rate"), "fair_rate", order=60))
        rights.register("work", export=export_sections, erase=erase_rows, merge=move_orders)
        imports.register_target(work_order_import)
        analytics.register()
        post_migrate.connect(_sync_reference, sender=self, dispatch_uid="work.sync_reference")


def _sync_reference(sender, **kwargs) -> None:
    from .benchmarks import sync_reference

    sync_reference()
