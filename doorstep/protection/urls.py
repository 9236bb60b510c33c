from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/protection/", views.overview, name="protection"),
    path("orgs/<slug:org_slug>/protection/schemes/new/", views.scheme_new, name="protection_scheme_new"),
    path(
        "orgs/<slug:org_slug>/protection/schemes/<int:scheme_id>/",
        views.scheme_detail,
        name="protection_scheme",
    ),
    path(
        "orgs/<slug:org_slug>/protection/schemes/<int:scheme_id>/eligible/",
        views.eligible,
        name="protection_eligible",
    ),
    path("orgs/<slug:org_slug>/protection/renewals/", views.renewals, name="protection_renewals"),
    path(
        "orgs/<slug:org_slug>/protection/applications/<int:application_id>/",
        views.application_detail,
        name="protection_application",
    ),
]
