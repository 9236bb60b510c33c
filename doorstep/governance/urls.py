from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/governance/", views.home, name="governance"),
    path("orgs/<slug:org_slug>/governance/rules/", views.rules, name="governance_rules"),
    path("orgs/<slug:org_slug>/governance/positions/", views.add_position, name="governance_position_add"),
    path("orgs/<slug:org_slug>/governance/terms/", views.start_term, name="governance_term_start"),
    path(
        "orgs/<slug:org_slug>/governance/terms/<int:term_id>/end/", views.end_term, name="governance_term_end"
    ),
    path("orgs/<slug:org_slug>/dues/", views.dues_standing, name="dues_standing"),
    path("orgs/<slug:org_slug>/dues/payments/<int:payment_id>/receipt/", views.receipt, name="dues_receipt"),
    path("orgs/<slug:org_slug>/meetings/", views.meeting_list, name="meetings"),
    path("orgs/<slug:org_slug>/meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path(
        "orgs/<slug:org_slug>/meetings/<int:meeting_id>/attendance/",
        views.attendance,
        name="meeting_attendance",
    ),
    path(
        "orgs/<slug:org_slug>/meetings/<int:meeting_id>/minutes/<int:number>.pdf",
        views.minutes_pdf,
        name="minutes_pdf",
    ),
    path(
        "orgs/<slug:org_slug>/action-items/<int:item_id>/done/",
        views.action_item_done,
        name="action_item_done",
    ),
    path("orgs/<slug:org_slug>/governance/reports/", views.annual_reports, name="annual_reports"),
    path(
        "orgs/<slug:org_slug>/governance/reports/<int:report_id>/", views.annual_report, name="annual_report"
    ),
    path(
        "orgs/<slug:org_slug>/governance/reports/<int:report_id>/versions/<int:number>/",
        views.annual_report_version,
        name="annual_report_version",
    ),
]
