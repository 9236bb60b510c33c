from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/shared/", views.shared_figures, name="shared_figures"),
    path("orgs/<slug:org_slug>/brief/", views.brief_page, name="evidence_brief"),
    path("orgs/<slug:org_slug>/brief.pdf", views.brief_pdf, name="evidence_brief_pdf"),
    path("orgs/<slug:org_slug>/open-data/", views.network_releases, name="network_releases"),
    path(
        "orgs/<slug:org_slug>/open-data/<int:release_id>/withdraw/",
        views.release_withdraw,
        name="release_withdraw",
    ),
    path("orgs/<slug:org_slug>/due-diligence/", views.due_diligence, name="due_diligence"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<int:release_id>/", views.open_data_release, name="open_data_release"),
    path("open-data/<int:release_id>/<str:name>", views.open_data_file, name="open_data_file"),
]
