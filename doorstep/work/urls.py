from django.urls import path

from . import views

urlpatterns = [path("tools/fair-rate/", views.fair_rate, name="fair_rate")]
