"""Version 1 of the REST API. Each app contributes its own endpoints from `apis.py`."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from engage.activities import apis as activities_apis
from engage.activities.screening import apis as screening_apis
from engage.api import reference
from engage.decisions import apis as decisions_apis
from engage.decisions.feedback import apis as feedback_apis
from engage.evaluation import apis as evaluation_apis
from engage.insight import apis as insight_apis
from engage.partners import apis as partners_apis
from engage.partnership import apis as partnership_apis
from engage.reach import apis as reach_apis
from engage.reports import apis as reports_apis

app_name = "api"
urlpatterns = [
    path("", reference.ApiIndex.as_view(), name="index"),
    path("reference/", reference.reference, name="reference"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("organisations/", partners_apis.OrganisationListApi.as_view(), name="organisation-list"),
    path("people/", partners_apis.PersonListApi.as_view(), name="person-list"),
    path("people/<id:person_id>/", partners_apis.PersonDetailApi.as_view(), name="person-detail"),
    path("activities/", activities_apis.ActivityListApi.as_view(), name="activity-list"),
    path("activities/<id:activity_id>/", activities_apis.ActivityDetailApi.as_view(), name="activity-detail"),
    path(
        "activities/<id:activity_id>/overlaps/",
        activities_apis.ActivityOverlapsApi.as_view(),
        name="activity-overlaps",
    ),
    path("priorities/", activities_apis.PriorityListApi.as_view(), name="priority-list"),
    path("screening/questions/", screening_apis.QuestionsApi.as_view(), name="screening-questions"),
    path("screenings/", screening_apis.ScreeningListApi.as_view(), name="screening-list"),
    path("reach/", reach_apis.ReachApi.as_view(), name="reach"),
    path("themes/", insight_apis.ThemesApi.as_view(), name="themes"),
    path("conversations/", insight_apis.ConversationListApi.as_view(), name="conversation-list"),
    path("decisions/", decisions_apis.DecisionListApi.as_view(), name="decision-list"),
    path("decisions/<id:decision_id>/", decisions_apis.DecisionDetailApi.as_view(), name="decision-detail"),
    path(
        "decisions/<id:decision_id>/evidence/",
        decisions_apis.DecisionEvidenceApi.as_view(),
        name="decision-evidence",
    ),
    path(
        "decisions/<id:decision_id>/emails/",
        feedback_apis.DecisionEmailsApi.as_view(),
        name="decision-emails",
    ),
    path(
        "activities/<id:activity_id>/publication/",
        decisions_apis.ActivityPublicationApi.as_view(),
        name="activity-publication",
    ),
    path(
        "activities/<id:activity_id>/participants/",
        feedback_apis.ActivityParticipantsApi.as_view(),
        name="activity-participants",
    ),
    path("closing-the-loop/", decisions_apis.LoopApi.as_view(), name="closing-the-loop"),
    path("partnership/themes/", partnership_apis.PartnershipThemesApi.as_view(), name="partnership-themes"),
    path("evaluations/", evaluation_apis.EvaluationListApi.as_view(), name="evaluations"),
    path("self-assessment/", evaluation_apis.SelfAssessmentApi.as_view(), name="self-assessment"),
    path("board/", evaluation_apis.BoardApi.as_view(), name="board"),
    path("reports/", reports_apis.ReportListApi.as_view(), name="reports"),
    path("reports/<id:report_id>/", reports_apis.ReportDetailApi.as_view(), name="report-detail"),
]
