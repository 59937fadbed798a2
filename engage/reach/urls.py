from django.urls import path

from engage.reach import views

app_name = "reach"
urlpatterns = [
    path("staff/reach/", views.reach, name="reach"),
    path("staff/reach/compare/", views.reach_compare, name="compare"),
    path("staff/reach/board/", views.reach_board, name="board"),
    path("staff/reach/reach.<str:file_format>", views.reach_export, name="export"),
    path("staff/reach/answers/", views.answers, name="answers"),
    path("staff/reach/reference/", views.reference, name="reference"),
    path(
        "staff/reach/reference/<id:job_id>/status/", views.reference_job_status, name="reference-job-status"
    ),
]
