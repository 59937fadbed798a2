from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "engage.decisions"
    label = "decisions"
    verbose_name = "You said, we did: decisions and the voices behind them"
