"""The import pages, under /staff/conversations/imports/. Include with
`path("", include("engage.conversations.import_urls"))`."""

from django.urls import path

from engage.conversations import import_views

app_name = "imports"
urlpatterns = [
    path("staff/conversations/imports/", import_views.import_list, name="import-list"),
    path("staff/conversations/imports/new/", import_views.import_new, name="import-new"),
    path("staff/conversations/imports/new/columns/", import_views.import_columns, name="import-columns"),
    path("staff/conversations/imports/<id:job_id>/", import_views.import_detail, name="import-detail"),
    path(
        "staff/conversations/imports/<id:job_id>/status.json",
        import_views.import_status,
        name="import-status",
    ),
    path(
        "staff/conversations/imports/<id:job_id>/rejections.csv",
        import_views.import_rejections_csv,
        name="import-rejections-csv",
    ),
]
