from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "doorstep.core"
    label = "core"
    verbose_name = "Doorstep core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit
        from .navigation import NavItem, register

        register(NavItem("home", _("Home"), "home", order=0))
        post_migrate.connect(audit.ensure_chain_head, sender=self, dispatch_uid="core.ensure_chain_head")
