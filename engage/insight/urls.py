from django.urls import path

from engage.insight import views

app_name = "insight"
urlpatterns = [
    path("staff/themes/", views.themes, name="themes"),
    path("staff/themes/review/", views.review, name="review"),
    path("staff/themes/discover/", views.discover, name="discover"),
    path("staff/themes/models/", views.models_page, name="models"),
    path("staff/themes/models/train/", views.model_train, name="model-train"),
    path("staff/themes/runs/new/", views.run_start, name="run-start"),
]
