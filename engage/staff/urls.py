from django.urls import path

from engage.staff import views

app_name = "staff"
urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/audit/", views.audit, name="audit"),
]
