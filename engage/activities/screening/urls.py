from django.urls import path

from engage.activities.screening import views

app_name = "screening"
urlpatterns = [
    path("staff/screening/", views.screening_list, name="screening-list"),
    path("staff/screening/new/", views.screening_new, name="screening-new"),
    path("staff/screening/<id:screening_id>/", views.screening_detail, name="screening-detail"),
]
