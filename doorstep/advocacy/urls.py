from django.urls import path

from . import views

urlpatterns = [
    path("laws/", views.laws, name="laws"),
    path("laws/<str:code>/", views.country, name="law_country"),
    path("laws/<str:code>/<slug:fact>/edit/", views.edit_fact, name="law_fact_edit"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<int:campaign_id>/", views.campaign, name="campaign"),
    path("orgs/<slug:org_slug>/campaigns/", views.campaign_list, name="campaign_list"),
    path("orgs/<slug:org_slug>/campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("orgs/<slug:org_slug>/reports/", views.report_list, name="report_list"),
    path("orgs/<slug:org_slug>/reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path(
        "orgs/<slug:org_slug>/reports/<int:report_id>/versions/<int:number>/",
        views.report_version,
        name="report_version",
    ),
    path(
        "orgs/<slug:org_slug>/reports/<int:report_id>/versions/<int:number>/report.<slug:export>",
        views.report_version,
        name="report_export",
    ),
]
