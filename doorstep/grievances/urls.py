from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/grievances/", views.case_list, name="grievances"),
    path("orgs/<slug:org_slug>/grievances/new/", views.case_new, name="grievance_new"),
    path("orgs/<slug:org_slug>/grievances/statistics/", views.case_stats, name="grievance_stats"),
    path("orgs/<slug:org_slug>/grievances/<int:case_id>/", views.case_detail, name="grievance"),
    path("orgs/<slug:org_slug>/grievances/<int:case_id>/edit/", views.case_edit, name="grievance_edit"),
    path(
        "orgs/<slug:org_slug>/grievances/deadlines/<int:action_id>/done/",
        views.deadline_done,
        name="grievance_deadline_done",
    ),
    path("orgs/<slug:org_slug>/grievances/intake/", views.intake_review, name="grievance_intake"),
    path("intake/status/", views.intake_status, name="intake_status"),
    path("orgs/<slug:org_slug>/cases/", views.shared_cases, name="shared_cases"),
    path("orgs/<slug:org_slug>/cases/<int:share_id>/", views.shared_case, name="shared_case"),
    path("intake/<str:code>/", views.intake, name="intake"),
    path(
        "orgs/<slug:org_slug>/grievances/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="grievance_attachment",
    ),
]
