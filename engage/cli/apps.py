from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "engage.cli"
    label = "cli"
    verbose_name = "Command line"
