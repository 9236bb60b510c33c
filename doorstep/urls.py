from django.contrib import admin
from django.urls import include, path

from doorstep.api import api
from doorstep.core import views as core_views
from doorstep.organizations.views import LoginView

urlpatterns = [
    path("", core_views.home, name="home"),
    path("switch-organization/", core_views.switch_organization, name="switch_organization"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # The admin site logs in through the same throttled, audited page as everyone else.
    path("admin/login/", LoginView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("doorstep.organizations.urls")),
    path("", include("doorstep.members.urls")),
]
