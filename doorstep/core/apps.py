from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "doorstep.core"
    label = "core"
    verbose_name = "Doorstep core"

    def ready(self) -> None:
        from .navigation import NavItem, register

        register(NavItem("home", _("Home"), "home", order=0))
