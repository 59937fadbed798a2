from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "engage.setup"
    label = "setup"
    verbose_name = "The partnership's first run"
