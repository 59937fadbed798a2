"""The people import pages, under /staff/people/imports/."""

from django.urls import path

from engage.partners.people_imports import views

app_name = "people-imports"
urlpatterns = [
    path("staff/people/imports/", views.people_import_list, name="list"),
    path("staff/people/imports/new/", views.people_import_new, name="new"),
    path("staff/people/imports/new/columns/", views.people_import_columns, name="columns"),
    path(
        "staff/people/imports/contact-list-template.csv",
        views.people_import_template_csv,
        name="template-csv",
    ),
    path("staff/people/imports/<id:import_id>/", views.people_import_detail, name="detail"),
    path("staff/people/imports/<id:import_id>/status.json", views.people_import_status, name="status"),
    path(
        "staff/people/imports/<id:import_id>/rejections.csv",
        views.people_import_rejections_csv,
        name="rejections-csv",
    ),
]
