from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "engage.evaluation"
    label = "evaluation"
    verbose_name = "Proving it: activities evaluated, the partnership's self-assessment, the board's page"

    def ready(self) -> None:
        # The board's page follows a new analysis (its themes, sentiment and the picture's
        # relational care change), once the picture has been rebuilt (board/services.py).
        from engage.evaluation.board import services  # noqa: PLC0415 - apps are ready only now
        from engage.insight.signals import analysis_landed  # noqa: PLC0415 - apps are ready only now

        analysis_landed.connect(services.on_analysis_landed, dispatch_uid="evaluation.analysis_landed")
