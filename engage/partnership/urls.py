from django.urls import path

from engage.partnership import views

app_name = "partnership"
urlpatterns = [
    path("staff/shared/", views.picture, name="picture"),
    path("staff/shared/compare/", views.compare, name="compare"),
    path("staff/shared/relational-care/", views.relational_care, name="relational-care"),
    path("staff/shared/search/", views.search, name="search"),
]
