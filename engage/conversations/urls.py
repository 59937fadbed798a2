from django.urls import path

from engage.conversations import views

app_name = "conversations"
urlpatterns = [
    path("staff/conversations/", views.conversation_list, name="conversation-list"),
    path("staff/conversations/new/", views.conversation_create, name="conversation-create"),
    path("staff/conversations/<id:conversation_id>/", views.conversation_detail, name="conversation-detail"),
    path(
        "staff/conversations/<id:conversation_id>/correct/",
        views.conversation_correct,
        name="conversation-correct",
    ),
    path(
        "staff/conversations/<id:conversation_id>/delete/",
        views.conversation_delete,
        name="conversation-delete",
    ),
]
