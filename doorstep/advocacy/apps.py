from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "doorstep.advocacy"
    label = "advocacy"
    verbose_name = _("Advocacy")

    def ready(self) -> None:
        from doorstep.core.navigation import register_public

        register_public("laws", _("Laws"), "laws", order=20)
