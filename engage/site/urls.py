from django.urls import path

from engage.site import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("partners/", views.partners, name="partners"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/<slug:file>.csv", views.open_data_file, name="open-data-file"),
    path("you-said-we-did/", views.you_said_we_did, name="you-said-we-did"),
    path(
        "you-said-we-did/<id:activity_id>/", views.you_said_we_did_activity, name="you-said-we-did-activity"
    ),
    path("you-said-we-did/stop-emails/<str:token>/", views.emails_stop, name="emails-stop"),
    path("reports/", views.reports, name="reports"),
    path("reports/<id:report_id>/", views.report, name="report"),
    path("reports/<id:report_id>/easy-read/", views.report_easy_read, name="report-easy-read"),
    path("reports/<id:report_id>/<slug:version>.<slug:extension>", views.report_file, name="report-file"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("give-feedback/", views.give_feedback, name="give-feedback"),
    path("give-feedback/thank-you/", views.feedback_thanks, name="feedback-thanks"),
    path("evaluate/thank-you/", views.evaluate_thanks, name="evaluate-thanks"),
    path("evaluate/<str:token>/", views.evaluate, name="evaluate"),
    path("score/thank-you/", views.score_thanks, name="score-thanks"),
    path("score/<str:token>/", views.score, name="score"),
    path("healthz", views.healthz, name="healthz"),
]
