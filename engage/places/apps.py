from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "engage.places"
    label = "places"
    verbose_name = "Places: reference data about where people live"
