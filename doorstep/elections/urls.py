from django.urls import path

from . import views

urlpatterns = [
    path("vote/<slug:org_slug>/", views.vote, name="vote"),
    path("orgs/<slug:org_slug>/elections/", views.election_list, name="election_list"),
    path("orgs/<slug:org_slug>/election-turnout/", views.network_turnout, name="election_turnout"),
    path("orgs/<slug:org_slug>/elections/<int:election_id>/", views.election_detail, name="election_detail"),
    path("orgs/<slug:org_slug>/elections/<int:election_id>/results/", views.results, name="election_results"),
    path(
        "orgs/<slug:org_slug>/elections/<int:election_id>/stations/<int:station_id>/tally/",
        views.tally,
        name="election_tally",
    ),
    path(
        "orgs/<slug:org_slug>/elections/<int:election_id>/stations/<int:station_id>/tally/photo.jpg",
        views.tally_photo,
        name="election_tally_photo",
    ),
]
