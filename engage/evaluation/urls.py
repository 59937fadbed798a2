from django.urls import path

from engage.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("staff/evaluations/", views.evaluation_list, name="list"),
    path("staff/evaluations/<id:activity_id>/", views.evaluation_detail, name="detail"),
    path("staff/evaluations/<id:activity_id>/open/", views.evaluation_open, name="open"),
    path("staff/evaluations/<id:activity_id>/cost/", views.evaluation_cost, name="cost"),
    path("staff/evaluations/<id:activity_id>/influence/", views.evaluation_influence, name="influence"),
    path("staff/evaluations/<id:activity_id>/principles/", views.evaluation_principles, name="principles"),
    path(
        "staff/evaluations/<id:activity_id>/participants/close/",
        views.participants_close,
        name="participants-close",
    ),
    path(
        "staff/evaluations/<id:activity_id>/participants/reopen/",
        views.participants_reopen,
        name="participants-reopen",
    ),
    path("staff/evaluations/<id:activity_id>/participants/paper/", views.answer_enter, name="answer-enter"),
    path("staff/evaluations/<id:activity_id>/participants/print/", views.participants_print, name="print"),
]
