from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "engage.retention"
    label = "retention"
    verbose_name = "Retention: how long each kind of data is kept"

    def ready(self) -> None:
        # Registers the check of the ENGAGE_RETENTION_* defaults (`engage check` lists it).
        from engage.retention import checks  # noqa: F401, PLC0415 - registered once the apps are loaded
