from django.urls import path

from engage.partners import views

app_name = "partners"
urlpatterns = [
    path("staff/people/", views.person_list, name="person-list"),
    path("staff/people/new/", views.person_create, name="person-create"),
    path("staff/people/contact-list/", views.contact_list, name="contact-list"),
    path("staff/people/contact-list.csv", views.contact_list_export, name="contact-list-export"),
    path("staff/people/<id:person_id>/", views.person_detail, name="person-detail"),
    path("staff/people/<id:person_id>/edit/", views.person_edit, name="person-edit"),
    path("staff/people/<id:person_id>/erase/", views.person_erase, name="person-erase"),
    path("staff/people/<id:person_id>/consent/", views.consent_grant, name="consent-grant"),
    path(
        "staff/people/<id:person_id>/consent/<str:purpose>/withdraw/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path("staff/people/<id:person_id>/groups/", views.person_group_add, name="person-group-add"),
    path(
        "staff/people/<id:person_id>/groups/<id:group_id>/remove/",
        views.person_group_remove,
        name="person-group-remove",
    ),
    path("staff/groups/", views.group_list, name="group-list"),
    path("staff/groups/new/", views.group_edit, name="group-create"),
    path("staff/groups/<id:group_id>/", views.group_detail, name="group-detail"),
    path("staff/groups/<id:group_id>/edit/", views.group_edit, name="group-edit"),
    path("staff/organisations/", views.organisation_list, name="organisation-list"),
    path("staff/organisations/new/", views.organisation_edit, name="organisation-create"),
    path("staff/organisations/<id:organisation_id>/", views.organisation_edit, name="organisation-edit"),
]
