from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def _jargon_kept(sender: AppConfig, apps: Any = None, **kwargs: Any) -> None:
    """The starting jargon list is stored by the migration reports 0002; after `flush`
    (each transactional test's end) it is stored again here, as evaluation's pledge is."""
    from engage.reports.defaults import jargon_seed  # noqa: PLC0415 - once the apps are loaded

    models = apps if apps is not None else global_apps
    try:
        jargon_model = models.get_model("reports", "JargonTerm")
    except LookupError:  # migrated back to before reports existed
        return
    jargon_seed(jargon_model=jargon_model)


class ReportsConfig(AppConfig):
    name = "engage.reports"
    label = "reports"
    verbose_name = "Reports: the Local Account, board papers and activity reports, with Easy Read"

    def ready(self) -> None:
        post_migrate.connect(_jargon_kept, sender=self)
        # Drafts follow a new analysis: their themes change (services.py).
        from engage.insight.signals import analysis_landed  # noqa: PLC0415 - apps are ready only now
        from engage.reports import services  # noqa: PLC0415 - apps are ready only now

        analysis_landed.connect(services.on_analysis_landed, dispatch_uid="reports.analysis_landed")
