from django.urls import path

from engage.evaluation.board import views

app_name = "board"
urlpatterns = [
    path("staff/board/", views.board, name="board"),
    path("staff/board/refresh/", views.board_refresh, name="refresh"),
]
