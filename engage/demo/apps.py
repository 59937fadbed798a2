from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "engage.demo"
    label = "demo"
    verbose_name = "Demo partnership"
