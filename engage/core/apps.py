from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "engage.core"
    label = "core"
    verbose_name = "Shared foundations"

    def ready(self) -> None:
        # Registered before any app's urls.py is read, so every route can use <id:...>.
        from engage.core.converters import IdConverter  # noqa: PLC0415 - registered once the apps are loaded

        register_converter(IdConverter, "id")
        # Registers the checks that refuse to start a production server set up for a
        # developer's machine (`engage check` lists them).
        from engage.core import checks  # noqa: F401, PLC0415 - registered once the apps are loaded
