from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "engage.staff"
    label = "staff"
    verbose_name = "Staff area"
