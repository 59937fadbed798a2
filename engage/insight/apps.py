from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "engage.insight"
    label = "insight"
    verbose_name = "Insight: themes, sentiment and personal details removed"
