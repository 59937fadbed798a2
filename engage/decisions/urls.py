from django.urls import path

from engage.decisions import views

app_name = "decisions"
urlpatterns = [
    path("staff/decisions/", views.decision_list, name="decision-list"),
    path("staff/decisions/new/", views.decision_create, name="decision-create"),
    path("staff/decisions/closing-the-loop/", views.loop, name="loop"),
    path("staff/decisions/publish/<int:activity_id>/", views.activity_publish, name="activity-publish"),
    path("staff/decisions/evidence/", views.evidence_add, name="evidence-add"),
    path("staff/decisions/<int:decision_id>/", views.decision_detail, name="decision-detail"),
    path("staff/decisions/<int:decision_id>/edit/", views.decision_edit, name="decision-edit"),
    path("staff/decisions/<int:decision_id>/evidence/remove/", views.evidence_remove, name="evidence-remove"),
]
