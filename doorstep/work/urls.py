from django.urls import path

from . import views

ORG = "orgs/<slug:org_slug>/work"
urlpatterns = [
    path("tools/fair-rate/", views.fair_rate, name="fair_rate"),
    path(f"{ORG}/", views.dashboard, name="work_dashboard"),
    path(f"{ORG}/settings/", views.work_settings, name="work_settings"),
    path(f"{ORG}/charts/<slug:name>.<slug:fmt>", views.chart, name="work_chart"),
    path(f"{ORG}/orders/", views.order_list, name="work_orders"),
    path(f"{ORG}/orders/new/", views.order_new, name="work_order_new"),
    path(f"{ORG}/orders/<int:order_id>/", views.order_detail, name="work_order"),
    path(f"{ORG}/orders/<int:order_id>/edit/", views.order_edit, name="work_order_edit"),
    path(f"{ORG}/orders/<int:order_id>/void/", views.order_void, name="work_order_void"),
    path(f"{ORG}/orders/<int:order_id>/<slug:kind>/add/", views.entry_add, name="work_entry_add"),
    path(
        f"{ORG}/orders/<int:order_id>/<slug:kind>/<int:entry_id>/reverse/",
        views.entry_reverse,
        name="work_entry_reverse",
    ),
    path(f"{ORG}/quick/", views.quick_entry, name="work_quick_entry"),
    path(f"{ORG}/benchmarks/", views.benchmark_list, name="benchmarks"),
    path(f"{ORG}/benchmarks/<int:benchmark_id>/delete/", views.benchmark_delete, name="benchmark_delete"),
    path(f"{ORG}/rates/", views.saved_rates, name="saved_rates"),
    path(f"{ORG}/rates/<int:rate_id>/", views.rate_card, name="rate_card"),
    path(f"{ORG}/rates/<int:rate_id>/delete/", views.rate_delete, name="rate_delete"),
    path(
        "orgs/<slug:org_slug>/members/<int:member_id>/passbook/",
        views.member_passbook,
        name="member_passbook",
    ),
    path("orgs/<slug:org_slug>/me/passbook/", views.my_passbook, name="my_passbook"),
]
