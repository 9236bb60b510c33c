from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "doorstep.market"
    label = "market"
    verbose_name = _("Market")

    def ready(self) -> None:
        from doorstep.core import rights
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import STAFF_ROLES

        from .services import erase_shares, export_shares, move_shares

        rights.register("market", export=export_shares, erase=erase_shares, merge=move_shares)

        register(
            NavItem(
                "market",
                _("Market"),
                "market_home",
                roles=STAFF_ROLES,
                in_organization=True,
                order=60,
                more=True,
            )
        )
