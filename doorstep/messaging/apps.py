from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "doorstep.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from doorstep.core import rights
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import STAFF_ROLES

        from .services import rights as messaging_rights

        register(
            NavItem(
                "messaging",
                _("SMS"),
                "messaging_home",
                roles=STAFF_ROLES,
                in_organization=True,
                order=89,
                more=True,
            )
        )
        rights.register(
            "messaging",
            export=messaging_rights.export_messages,
            erase=messaging_rights.erase_messages,
            merge=messaging_rights.move_messages,
        )
