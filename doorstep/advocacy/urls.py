from django.urls import path

from . import views

urlpatterns = [
    path("laws/", views.laws, name="laws"),
    path("laws/<str:code>/", views.country, name="law_country"),
    path("laws/<str:code>/<slug:fact>/edit/", views.edit_fact, name="law_fact_edit"),
]
