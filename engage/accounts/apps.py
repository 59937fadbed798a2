from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "engage.accounts"
    label = "accounts"
    verbose_name = "Users, sign-in and roles"
