from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "engage.demo"
    label = "demo"
    verbose_name = "Demo partnership"

    def ready(self) -> None:
        # Registers the check that refuses the demo on a production server.
        from engage.demo import checks  # noqa: F401, PLC0415 - registers the demo's check once the apps are loaded
