from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/parties/", views.party_list, name="parties"),
    path("orgs/<slug:org_slug>/parties/new/", views.party_new, name="party_new"),
    path("orgs/<slug:org_slug>/parties/<int:party_id>/", views.party_detail, name="party"),
    path("orgs/<slug:org_slug>/parties/<int:party_id>/edit/", views.party_edit, name="party_edit"),
    path("orgs/<slug:org_slug>/parties/<int:party_id>/chain/", views.party_chain, name="party_chain"),
    path(
        "orgs/<slug:org_slug>/party-links/<int:link_id>/remove/", views.link_remove, name="party_link_remove"
    ),
    path("orgs/<slug:org_slug>/supplier-lists/", views.supplier_lists, name="supplier_lists"),
    path("orgs/<slug:org_slug>/supplier-lists/<int:list_id>/", views.supplier_list, name="supplier_list"),
    path(
        "orgs/<slug:org_slug>/due-diligence/<int:company_id>/",
        views.company_diligence,
        name="company_diligence",
    ),
]
