from django.urls import path

from engage.reports import views

app_name = "reports"
urlpatterns = [
    path("staff/reports/", views.report_list, name="list"),
    path("staff/reports/new/", views.report_new, name="new"),
    path("staff/reports/jargon/", views.jargon, name="jargon"),
    path("staff/reports/jargon/<id:term_id>/delete/", views.jargon_delete, name="jargon-delete"),
    path("staff/reports/pictures/", views.pictures, name="pictures"),
    path("staff/reports/pictures/<id:pictogram_id>.png", views.picture_image, name="picture-image"),
    path("staff/reports/<id:report_id>/", views.report_detail, name="detail"),
    path("staff/reports/<id:report_id>/choices/", views.report_edit, name="edit"),
    path("staff/reports/<id:report_id>/sections/<slug:key>/", views.report_section, name="section"),
    path("staff/reports/<id:report_id>/refresh/", views.report_rebuild, name="rebuild"),
    path("staff/reports/<id:report_id>/publish/", views.report_publish, name="publish"),
    path("staff/reports/<id:report_id>/withdraw/", views.report_withdraw, name="withdraw"),
    path("staff/reports/<id:report_id>/delete/", views.report_delete, name="delete"),
    path("staff/reports/<id:report_id>/<slug:version>.<slug:extension>", views.report_file, name="file"),
    path("staff/reports/<id:report_id>/easy-read/", views.easy_read, name="easy-read"),
    path("staff/reports/<id:report_id>/easy-read/draft/", views.easy_read_draft, name="easy-read-draft"),
    path("staff/reports/<id:report_id>/easy-read/points/", views.easy_read_point, name="easy-read-add"),
    path(
        "staff/reports/<id:report_id>/easy-read/points/<id:point_id>/",
        views.easy_read_point,
        name="easy-read-point",
    ),
    path(
        "staff/reports/<id:report_id>/easy-read/points/<id:point_id>/delete/",
        views.easy_read_point_delete,
        name="easy-read-point-delete",
    ),
]
