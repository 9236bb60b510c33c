from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "doorstep.organizations"
    label = "organizations"
    verbose_name = _("Organizations and users")

    def ready(self) -> None:
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import ADMIN_ROLES, Role

        register(NavItem("organization", _("Organization"), "organization", in_organization=True, order=10))
        register(NavItem("people", _("People"), "people", roles=ADMIN_ROLES, in_organization=True, order=80))
        # A member logs in with her phone and PIN: no password to change, no API tokens.
        member = frozenset({Role.WORKER})
        register(NavItem("account", _("Account"), "account", hidden_from=member, order=90, more=True))
        register(NavItem("tokens", _("API tokens"), "tokens", hidden_from=member, order=95, more=True))
        register(
            NavItem("admin", _("Site admin"), "admin:index", platform_admin_only=True, order=99, more=True)
        )
