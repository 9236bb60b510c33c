from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/members/", views.member_list, name="members"),
    path("orgs/<slug:org_slug>/members/new/", views.member_new, name="member_new"),
    path("orgs/<slug:org_slug>/members/duplicates/", views.duplicates, name="duplicates"),
    path("orgs/<slug:org_slug>/members/duplicates/<int:candidate_id>/", views.duplicate, name="duplicate"),
    path("orgs/<slug:org_slug>/members/<int:member_id>/", views.member_detail, name="member"),
    path("orgs/<slug:org_slug>/members/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path(
        "orgs/<slug:org_slug>/members/<int:member_id>/consent/", views.member_consent, name="member_consent"
    ),
    path("orgs/<slug:org_slug>/members/<int:member_id>/dues/", views.member_dues, name="member_dues"),
    path("orgs/<slug:org_slug>/members/<int:member_id>/card/", views.member_card, name="member_card"),
    path("orgs/<slug:org_slug>/members/<int:member_id>/export/", views.member_export, name="member_export"),
    path("orgs/<slug:org_slug>/members/<int:member_id>/erase/", views.member_erase, name="member_erase"),
    path(
        "orgs/<slug:org_slug>/members/<int:member_id>/login/",
        views.member_give_login,
        name="member_give_login",
    ),
    path(
        "orgs/<slug:org_slug>/members/<int:member_id>/changes/<int:change_id>/",
        views.member_profile_change,
        name="member_profile_change",
    ),
    path("members/login/", views.member_login_start, name="member_login_start"),
    path("orgs/<slug:org_slug>/login/", views.worker_login, name="worker_login"),
    path("orgs/<slug:org_slug>/me/", views.my_profile, name="my_profile"),
]
