from django.apps import AppConfig


class ReachConfig(AppConfig):
    name = "engage.reach"
    label = "reach"
    verbose_name = "Reach: who we heard and who we missed"
