from django.urls import path

from . import views
from .feeds import BulletinFeed

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
    path("bulletins/", views.bulletins_index, name="bulletins"),
    path("bulletins/confirm/<str:token>/", views.bulletin_confirm, name="bulletin_confirm"),
    path("bulletins/unsubscribe/<str:token>/", views.bulletin_unsubscribe, name="bulletin_unsubscribe"),
    path("bulletins/<slug:slug>/", views.bulletin_archive, name="bulletin_archive"),
    path("bulletins/<slug:slug>/feed.atom", BulletinFeed(), name="bulletin_feed"),
    path("bulletins/<slug:slug>/subscribe/", views.bulletin_subscribe, name="bulletin_subscribe"),
    path("bulletins/<slug:slug>/<int:bulletin_id>/", views.bulletin, name="bulletin"),
    path("orgs/<slug:org_slug>/bulletins/", views.bulletin_list, name="bulletin_list"),
    path("orgs/<slug:org_slug>/bulletins/<int:bulletin_id>/", views.bulletin_edit, name="bulletin_edit"),
    path("orgs/<slug:org_slug>/news/", views.news, name="news"),
    path("resources/", views.resources, name="resources"),
    path("resources/<int:resource_id>/", views.resource, name="resource"),
    path("resources/<int:resource_id>/file", views.resource_file, name="resource_file"),
    path("events/", views.events, name="events"),
    path("events/<int:event_id>/", views.event, name="event"),
    path("orgs/<slug:org_slug>/events/", views.event_list, name="event_list"),
    path("orgs/<slug:org_slug>/events/<int:event_id>/", views.event_detail, name="event_detail"),
    path("orgs/<slug:org_slug>/resources/", views.resource_list, name="resource_list"),
    path("orgs/<slug:org_slug>/resources/<int:resource_id>/", views.resource_edit, name="resource_edit"),
]
