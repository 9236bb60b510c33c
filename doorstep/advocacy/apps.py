from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "doorstep.advocacy"
    label = "advocacy"
    verbose_name = _("Advocacy")

    def ready(self) -> None:
        from doorstep.core.navigation import NavItem, register, register_public
        from doorstep.core.roles import STAFF_ROLES

        register_public("laws", _("Laws"), "laws", order=20)
        register_public("campaigns", _("Campaigns"), "campaigns", order=25)
        register(
            NavItem(
                "campaigns",
                _("Campaigns"),
                "campaign_list",
                roles=STAFF_ROLES,
                in_organization=True,
                order=87,
                more=True,
            )
        )
        register(
            NavItem(
                "reports",
                _("ILO reports"),
                "report_list",
                roles=STAFF_ROLES,
                in_organization=True,
                order=89,
                more=True,
            )
        )
