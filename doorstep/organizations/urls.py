from django.urls import path

from . import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/reset/<uidb64>/<token>/", views.InvitationView.as_view(), name="password_reset_confirm"),
    path("account/", views.account, name="account"),
    path("account/invitations/<int:invitation_id>/", views.answer_invitation, name="answer_invitation"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("orgs/", views.my_organizations, name="organizations"),
    path("orgs/<slug:org_slug>/", views.organization_detail, name="organization"),
    path("orgs/<slug:org_slug>/people/", views.people, name="people"),
    path("orgs/<slug:org_slug>/sharing/", views.sharing, name="sharing"),
    path("orgs/<slug:org_slug>/people/<int:person_id>/", views.person, name="person"),
]
