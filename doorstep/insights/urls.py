from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/shared/", views.shared_figures, name="shared_figures"),
    path("orgs/<slug:org_slug>/brief/", views.brief_page, name="evidence_brief"),
    path("orgs/<slug:org_slug>/brief.pdf", views.brief_pdf, name="evidence_brief_pdf"),
]
