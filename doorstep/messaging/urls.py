from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/sms/", views.home, name="messaging_home"),
    path("orgs/<slug:org_slug>/sms/channels/<int:channel_id>/", views.channel, name="messaging_channel"),
    path("orgs/<slug:org_slug>/sms/notices/<int:notice_id>/", views.notice, name="messaging_notice"),
    path("orgs/<slug:org_slug>/sms/keywords/", views.keywords, name="messaging_keywords"),
    path("sms/<str:token>/receive", views.gateway_receive, name="sms_receive"),
    path("sms/<str:token>/status", views.gateway_status, name="sms_status"),
]
