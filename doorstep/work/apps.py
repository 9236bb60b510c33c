from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "doorstep.work"
    label = "work"
    verbose_name = _("Work and earnings")

    def ready(self) -> None:
        from doorstep.core.navigation import NavItem, register

        register(NavItem("fair_rate", _("Fair piece rate"), "fair_rate", order=60))
