from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/relief/", views.funds, name="relief_funds"),
    path("orgs/<slug:org_slug>/relief/funds/<int:fund_id>/", views.fund, name="relief_fund"),
    path(
        "orgs/<slug:org_slug>/relief/funds/<int:fund_id>/entries/<int:entry_id>/reverse/",
        views.reverse_entry,
        name="relief_reverse",
    ),
    path("orgs/<slug:org_slug>/relief/funds/<int:fund_id>/report/", views.report, name="relief_report"),
    path("orgs/<slug:org_slug>/relief/lists/<int:list_id>/", views.relief_list, name="relief_list"),
    path("orgs/<slug:org_slug>/relief/rounds/<int:round_id>/", views.round_detail, name="relief_round"),
    path("orgs/<slug:org_slug>/relief/statements/<int:import_id>/", views.statement, name="relief_statement"),
    path("orgs/<slug:org_slug>/me/relief/", views.my_relief, name="my_relief"),
]
