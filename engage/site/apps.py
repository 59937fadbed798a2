from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "engage.site"
    label = "site"
    verbose_name = "Public site"
