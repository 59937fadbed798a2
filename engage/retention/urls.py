from django.urls import path

from engage.retention import views

app_name = "retention"
urlpatterns = [
    path("staff/retention/", views.retention_overview, name="overview"),
    path("staff/retention/runs/", views.retention_run_list, name="run-list"),
    path("staff/retention/rules/<str:kind>/", views.retention_rule_edit, name="rule-edit"),
]
