from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/parties/", views.party_list, name="parties"),
    path("orgs/<slug:org_slug>/parties/new/", views.party_new, name="party_new"),
    path("orgs/<slug:org_slug>/parties/<int:party_id>/", views.party_detail, name="party"),
    path("orgs/<slug:org_slug>/parties/<int:party_id>/edit/", views.party_edit, name="party_edit"),
]
