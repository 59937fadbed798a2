from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "engage.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        # drf-spectacular finds its extensions (the access token's security scheme, the
        # 400 body's schema) by their classes being defined: define them before any
        # document is generated.
        from engage.api import schema  # noqa: F401, PLC0415 - registers the schema's extensions once the apps are loaded
