from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "doorstep.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from doorstep.core import imports, rights
        from doorstep.core.navigation import NavItem, register
        from doorstep.core.roles import STAFF_ROLES

        from . import analytics, services
        from . import imports as survey_imports

        rights.register(
            "surveys",
            export=services.export_sections,
            erase=services.erase_rows,
            merge=services.move_submissions,
        )

        imports.register_target(survey_imports.submission_import)
        register(
            NavItem("surveys", _("Surveys"), "surveys", roles=STAFF_ROLES, in_organization=True, order=35)
        )
        analytics.register()
