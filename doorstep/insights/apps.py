from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "doorstep.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from doorstep.core.navigation import NavItem, register, register_public
        from doorstep.organizations.models import Organization
        from doorstep.organizations.queries import RECIPIENT_ROLES

        from .queries import RELEASE_ROLES

        register(
            NavItem(
                "shared_figures",
                _("Shared figures"),
                "shared_figures",
                roles=RECIPIENT_ROLES,
                in_organization=True,
                organization_kinds=Organization.NETWORK_KINDS
                | {Organization.Kind.ALLY, Organization.Kind.COMPANY},
                order=40,
            )
        )
        register(
            NavItem(
                "network_releases",
                _("Open data"),
                "network_releases",
                roles=RELEASE_ROLES,
                in_organization=True,
                organization_kinds=Organization.NETWORK_KINDS,
                order=45,
                more=True,
            )
        )
        register_public("open_data", _("Open data"), "open_data", order=50)
