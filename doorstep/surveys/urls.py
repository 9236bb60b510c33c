from django.urls import include, path

from . import openrosa, views

ORG = "orgs/<slug:org_slug>/surveys"
# The same OpenRosa endpoints under the Basic-auth base and under an app user's token.
openrosa_patterns = [
    path("formList", openrosa.form_list),
    path("forms/<int:form_pk>/form.xml", openrosa.form_download),
    path("forms/<int:form_pk>/manifest", openrosa.manifest),
    path("forms/<int:form_pk>/media/<int:media_pk>", openrosa.media),
    path("submission", openrosa.submission),
]

urlpatterns = [
    path(f"{ORG}/", views.form_list, name="surveys"),
    path(f"{ORG}/app-users/", views.app_user_new, name="app_user_new"),
    path(f"{ORG}/app-users/<int:app_user_id>/revoke/", views.app_user_revoke, name="app_user_revoke"),
    path(f"{ORG}/forms/<int:form_id>/", views.form_detail, name="survey_form"),
    path(f"{ORG}/forms/<int:form_id>/submissions/", views.submission_list, name="survey_submissions"),
    path(f"{ORG}/forms/<int:form_id>/summary/", views.form_summary, name="survey_summary"),
    path(f"{ORG}/forms/<int:form_id>/export/", views.form_export, name="survey_export"),
    path(f"{ORG}/forms/<int:form_id>/import/", views.form_import, name="survey_import"),
    path(f"{ORG}/forms/<int:form_id>/enketo/", views.form_enketo, name="survey_enketo"),
    path(f"{ORG}/forms/<int:form_id>/exports/", views.export_new, name="survey_export_new"),
    path(f"{ORG}/exports/<int:export_id>/", views.export_job, name="survey_export_job"),
    path(f"{ORG}/exports/<int:export_id>/download/", views.export_download, name="survey_export_download"),
    path(f"{ORG}/submissions/<int:submission_id>/", views.submission_detail, name="survey_submission"),
    path(f"{ORG}/attachments/<int:attachment_id>/", views.attachment, name="survey_attachment"),
    path("openrosa/<slug:org_slug>/", include(openrosa_patterns), {"token": None}),
    path("openrosa/<slug:org_slug>/", openrosa.form_list, {"token": None}, name="openrosa_root"),
    path("openrosa/<slug:org_slug>/key/<str:token>/", include(openrosa_patterns)),
    path("openrosa/<slug:org_slug>/key/<str:token>/", openrosa.form_list, name="openrosa_key_root"),
]
