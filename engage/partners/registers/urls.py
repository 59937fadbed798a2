"""The register load page, under /staff/organisations/load/. Include with
`path("", include("engage.partners.registers.urls"))`."""

from django.urls import path

from engage.partners.registers import views

app_name = "registers"
urlpatterns = [
    path("staff/organisations/load/", views.register_load, name="register-load"),
    path(
        "staff/organisations/load/<id:job_id>/status/", views.register_job_status, name="register-job-status"
    ),
]
