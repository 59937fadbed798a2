from django.urls import path

from engage.activities import views

app_name = "activities"
urlpatterns = [
    path("staff/activities/", views.activity_list, name="activity-list"),
    path("staff/activities/calendar/", views.activity_calendar, name="activity-calendar"),
    path("staff/activities/timeline/", views.activity_timeline, name="activity-timeline"),
    path("staff/activities/register.csv", views.activity_export_csv, name="activity-export-csv"),
    path("staff/activities/register.ics", views.activity_export_ical, name="activity-export-ical"),
    path("staff/activities/new/", views.activity_edit, name="activity-create"),
    path("staff/activities/coverage/", views.coverage, name="coverage"),
    path("staff/activities/<id:activity_id>/", views.activity_detail, name="activity-detail"),
    path("staff/activities/<id:activity_id>/edit/", views.activity_edit, name="activity-edit"),
    path(
        "staff/activities/<id:activity_id>/overlaps/<id:other_id>/",
        views.overlap_review,
        name="overlap-review",
    ),
    path("staff/priorities/", views.priority_list, name="priority-list"),
    path("staff/priorities/new/", views.priority_edit, name="priority-create"),
    path("staff/priorities/<id:priority_id>/", views.priority_edit, name="priority-edit"),
]
