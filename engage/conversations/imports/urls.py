"""The import pages, under /staff/conversations/imports/. Include with
`path("", include("engage.conversations.imports.urls"))`."""

from django.urls import path

from engage.conversations.imports import views

app_name = "imports"
urlpatterns = [
    path("staff/conversations/imports/", views.import_list, name="import-list"),
    path("staff/conversations/imports/new/", views.import_new, name="import-new"),
    path("staff/conversations/imports/new/columns/", views.import_columns, name="import-columns"),
    path("staff/conversations/imports/<id:job_id>/", views.import_detail, name="import-detail"),
    path("staff/conversations/imports/<id:job_id>/ratings/", views.import_ratings, name="import-ratings"),
    path(
        "staff/conversations/imports/<id:job_id>/status.json",
        views.import_status,
        name="import-status",
    ),
    path(
        "staff/conversations/imports/<id:job_id>/rejections.csv",
        views.import_rejections_csv,
        name="import-rejections-csv",
    ),
]
