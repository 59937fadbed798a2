from django.urls import path

from engage.evaluation.self_assessment import views

app_name = "self_assessment"
urlpatterns = [
    path("staff/self-assessment/", views.overview, name="overview"),
    path("staff/self-assessment/rounds/open/", views.round_open, name="round-open"),
    path("staff/self-assessment/rounds/<id:round_id>/", views.round_detail, name="round"),
    path("staff/self-assessment/rounds/<id:round_id>/links/", views.links_make, name="links"),
    path("staff/self-assessment/rounds/<id:round_id>/close/", views.round_close, name="round-close"),
    path("staff/self-assessment/trends/", views.trends, name="trends"),
    path("staff/self-assessment/statements/", views.statements, name="statements"),
    path("staff/self-assessment/statements/<id:statement_id>/", views.statement_edit, name="statement-edit"),
    path("staff/self-assessment/objectives/", views.objectives, name="objectives"),
    path("staff/self-assessment/objectives/new/", views.objective_create, name="objective-create"),
    path("staff/self-assessment/objectives/<id:objective_id>/", views.objective_detail, name="objective"),
    path("staff/self-assessment/objectives/<id:objective_id>/actions/", views.action_save, name="action-add"),
    path(
        "staff/self-assessment/objectives/<id:objective_id>/actions/<id:action_id>/",
        views.action_save,
        name="action-edit",
    ),
    path("staff/self-assessment/pledge/", views.principles, name="principles"),
]
