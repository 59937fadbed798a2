from django.urls import path

from engage.partnership.sharing import views

app_name = "sharing"
urlpatterns = [
    path("staff/shared/what-we-share/", views.sharing, name="sharing"),
    path(
        "staff/shared/what-we-share/activities/<id:activity_id>/",
        views.sharing_activity,
        name="sharing-activity",
    ),
    path(
        "staff/shared/what-we-share/imports/<id:job_id>/",
        views.sharing_import,
        name="sharing-import",
    ),
]
