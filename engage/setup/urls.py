"""The first-run page, under /setup/. Include with `path("", include("engage.setup.urls"))`."""

from django.urls import path

from engage.setup import views

app_name = "setup"
urlpatterns = [
    path("setup/", views.first_run, name="first-run"),
    path("setup/partnership/", views.first_run_partnership, name="first-run-partnership"),
    path("staff/partnership/", views.partnership_edit, name="partnership-edit"),
]
