from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "engage.partners"
    label = "partners"
    verbose_name = "Partners and people"
