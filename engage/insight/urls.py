from django.urls import path

from engage.insight import views
from engage.insight.discovery import views as discovery_views

app_name = "insight"
urlpatterns = [
    path("staff/themes/", views.themes, name="themes"),
    path("staff/themes/themes.<str:file_format>", views.themes_export, name="themes-export"),
    path(
        "staff/conversations/conversations.<str:file_format>",
        views.conversations_export,
        name="conversations-export",
    ),
    path("staff/themes/review/", views.review, name="review"),
    path("staff/themes/framework/", views.framework, name="framework"),
    path("staff/themes/framework/new/", views.framework_load, name="framework-load"),
    path("staff/themes/framework/choose/", views.framework_choose, name="framework-choose"),
    path("staff/themes/discover/", discovery_views.discover, name="discover"),
    path("staff/themes/discover/<id:discovery_id>/", discovery_views.discovery, name="discovery"),
    path("staff/themes/discover/<id:discovery_id>/merge/", discovery_views.groups_merge, name="groups-merge"),
    path(
        "staff/themes/discover/<id:discovery_id>/groups/<id:theme_group_id>/split/",
        discovery_views.group_split,
        name="group-split",
    ),
    path(
        "staff/themes/discover/<id:discovery_id>/groups/<id:theme_group_id>/promote/",
        discovery_views.group_promote,
        name="group-promote",
    ),
    path("staff/themes/models/", views.models_page, name="models"),
    path("staff/themes/models/train/", views.model_train, name="model-train"),
    path(
        "staff/themes/models/trainings/<id:training_id>/status/",
        views.model_training_status,
        name="model-training-status",
    ),
    path("staff/themes/runs/new/", views.run_start, name="run-start"),
    path("staff/themes/runs/<id:run_id>/status/", views.run_status, name="run-status"),
]
