from django.urls import path

from engage.decisions import views
from engage.decisions.feedback import views as feedback_views

app_name = "decisions"
urlpatterns = [
    path("staff/decisions/", views.decision_list, name="decision-list"),
    path("staff/decisions/new/", views.decision_create, name="decision-create"),
    path("staff/decisions/closing-the-loop/", views.loop, name="loop"),
    path("staff/decisions/publish/<id:activity_id>/", views.activity_publish, name="activity-publish"),
    path("staff/decisions/evidence/", views.evidence_add, name="evidence-add"),
    path("staff/decisions/evidence/theme/", views.theme_evidence_add, name="theme-evidence-add"),
    path("staff/decisions/<id:decision_id>/", views.decision_detail, name="decision-detail"),
    path("staff/decisions/<id:decision_id>/edit/", views.decision_edit, name="decision-edit"),
    path("staff/decisions/<id:decision_id>/evidence/remove/", views.evidence_remove, name="evidence-remove"),
    path(
        "staff/decisions/<id:decision_id>/proposals/<id:proposal_id>/",
        views.theme_proposal_decide,
        name="theme-proposal-decide",
    ),
    path(
        "staff/decisions/<id:decision_id>/emails/retry/",
        feedback_views.feedback_retry,
        name="feedback-retry",
    ),
    path("staff/activities/<id:activity_id>/people/", feedback_views.participants, name="participants"),
    path(
        "staff/activities/<id:activity_id>/people/add/",
        feedback_views.participants_add,
        name="participants-add",
    ),
    path(
        "staff/activities/<id:activity_id>/people/remove/",
        feedback_views.participants_remove,
        name="participants-remove",
    ),
]
