from django.urls import path

from . import views

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/map.svg", views.directory_map, name="directory_map"),
    path("directory/<slug:slug>/", views.directory_entry, name="directory_entry"),
    path("orgs/<slug:org_slug>/directory-entry/", views.network_home, name="network_home"),
    path(
        "orgs/<slug:org_slug>/affiliation-requests/<int:request_id>/",
        views.affiliation_request,
        name="affiliation_request",
    ),
]
