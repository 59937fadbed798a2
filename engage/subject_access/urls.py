"""Subject access pages. Include with `path("", include("engage.subject_access.urls"))`."""

from django.urls import path

from engage.subject_access import views

app_name = "subject_access"
urlpatterns = [
    path("staff/people/<id:person_id>/subject-access/", views.request_create, name="request-create"),
    path("staff/subject-access/<id:request_id>/", views.request_detail, name="request-detail"),
    path("staff/subject-access/<id:request_id>/status.json", views.request_status, name="request-status"),
    path("staff/subject-access/<id:request_id>/download/", views.request_download, name="request-download"),
]
