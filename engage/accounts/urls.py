from django.urls import path

from engage.accounts import views
from engage.accounts.sign_in import views as sign_in_views
from engage.accounts.tokens import views as token_views

app_name = "accounts"
urlpatterns = [
    path("accounts/", views.your_account, name="your-account"),
    path("accounts/sign-in/", sign_in_views.sign_in, name="sign-in"),
    path("accounts/sign-in/code/", sign_in_views.sign_in_code, name="sign-in-code"),
    path("accounts/sign-out/", views.sign_out, name="sign-out"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("accounts/password/reset/", sign_in_views.password_reset, name="password-reset"),
    path("accounts/password/reset/sent/", sign_in_views.password_reset_sent, name="password-reset-sent"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        sign_in_views.PasswordFromLinkView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        sign_in_views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("accounts/password/set/", sign_in_views.password_set, name="password-set"),
    path("accounts/two-step/", sign_in_views.two_factor, name="two-factor"),
    path("accounts/two-step/set-up/", sign_in_views.authenticator_set_up, name="authenticator-set-up"),
    path("accounts/two-step/recovery-codes/", sign_in_views.recovery_codes_new, name="recovery-codes-new"),
    path("accounts/tokens/", token_views.token_list, name="token-list"),
    path("accounts/tokens/<slug:prefix>/revoke/", token_views.token_revoke, name="token-revoke"),
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
