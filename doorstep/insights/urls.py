from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/shared/", views.shared_figures, name="shared_figures"),
]
