from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "engage.api"
    label = "api"
    verbose_name = "REST API"
