from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def _defaults_kept(sender: AppConfig, apps: Any = None, **kwargs: Any) -> None:
    """The default statements and pledge are stored by the migration evaluation 0002;
    after `flush` (each transactional test's end) they are stored again here, as the
    built-in framework is (engage/insight/apps.py)."""
    from engage.evaluation.defaults import defaults_seed  # noqa: PLC0415 - once the apps are loaded

    models = apps if apps is not None else global_apps
    try:
        statement_model = models.get_model("evaluation", "Statement")
        principle_model = models.get_model("evaluation", "Principle")
    except LookupError:  # migrated back to before evaluation existed
        return
    defaults_seed(statement_model=statement_model, principle_model=principle_model)


class EvaluationConfig(AppConfig):
    name = "engage.evaluation"
    label = "evaluation"
    verbose_name = "Proving it: activities evaluated, the partnership's self-assessment, the board's page"

    def ready(self) -> None:
        post_migrate.connect(_defaults_kept, sender=self)
        # The board's page follows a new analysis (its themes, sentiment and the picture's
        # relational care change), once the picture has been rebuilt (board/services.py).
        from engage.evaluation.board import services  # noqa: PLC0415 - apps are ready only now
        from engage.insight.signals import analysis_landed  # noqa: PLC0415 - apps are ready only now

        analysis_landed.connect(services.on_analysis_landed, dispatch_uid="evaluation.analysis_landed")
