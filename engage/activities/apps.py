from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "engage.activities"
    label = "activities"
    verbose_name = "The joined-up engagement register"
