"""The areas pages, under /staff/areas/. Include with `path("", include("engage.places.areas.urls"))`."""

from django.urls import path

from engage.places.areas import views

app_name = "areas"
urlpatterns = [
    path("staff/areas/", views.area_list, name="area-list"),
    path("staff/areas/new/", views.area_new, name="area-new"),
    path("staff/areas/from-lookup/", views.areas_from_lookup, name="areas-from-lookup"),
    path("staff/areas/<id:area_id>/", views.area_edit, name="area-edit"),
    path("staff/areas/<id:area_id>/merge/", views.area_merge, name="area-merge"),
    path("staff/areas/<id:area_id>/retire/", views.area_retire, name="area-retire"),
]
