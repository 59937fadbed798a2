from django.urls import path

from engage.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("accounts/sign-out/", views.sign_out, name="sign-out"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("accounts/organisation/", views.switch_organisation, name="switch-organisation"),
    path("staff/users/", views.user_list, name="user-list"),
    path("staff/users/new/", views.user_create, name="user-create"),
    path("staff/users/<id:user_id>/", views.user_detail, name="user-detail"),
    path(
        "staff/users/<id:user_id>/roles/<id:membership_id>/remove/",
        views.membership_revoke,
        name="membership-revoke",
    ),
]
