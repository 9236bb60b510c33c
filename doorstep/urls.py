from django.contrib import admin
from django.urls import include, path

from doorstep.api import api
from doorstep.core import import_views
from doorstep.core import views as core_views
from doorstep.organizations.views import LoginView

urlpatterns = [
    path("", core_views.home, name="home"),
    path("switch-organization/", core_views.switch_organization, name="switch_organization"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("orgs/<slug:org_slug>/imports/new/<slug:target_name>/", import_views.upload, name="import_upload"),
    path("orgs/<slug:org_slug>/imports/<int:import_id>/", import_views.detail, name="import"),
    path(
        "orgs/<slug:org_slug>/imports/<int:import_id>/errors.csv",
        import_views.error_report,
        name="import_errors",
    ),
    path(
        "orgs/<slug:org_slug>/imports/<int:import_id>/<slug:action>/", import_views.act, name="import_action"
    ),
    path("api/v1/", api.urls),
    # The admin site logs in through the same throttled, audited page as everyone else.
    path("admin/login/", LoginView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("doorstep.organizations.urls")),
    path("", include("doorstep.members.urls")),
    path("", include("doorstep.supplychains.urls")),
    path("", include("doorstep.work.urls")),
    path("", include("doorstep.surveys.urls")),
    path("", include("doorstep.insights.urls")),
    path("", include("doorstep.grievances.urls")),
    path("", include("doorstep.protection.urls")),
    path("", include("doorstep.network.urls")),
    path("", include("doorstep.advocacy.urls")),
    path("", include("doorstep.governance.urls")),
    path("", include("doorstep.elections.urls")),
    path("", include("doorstep.messaging.urls")),
    path("", include("doorstep.market.urls")),
    path("", include("doorstep.relief.urls")),
]

# Under /api/v1/ these answer the API's JSON error shape; elsewhere Django's pages.
handler400 = "doorstep.core.api.bad_request"
handler404 = "doorstep.core.api.page_not_found"
handler500 = "doorstep.core.api.server_error"
