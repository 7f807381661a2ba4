from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("imports/comment-link/<int:post_id>/", views.comment_link, name="comment-link"),
]
