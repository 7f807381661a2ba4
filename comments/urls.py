from django.urls import path

import blog.converters  # noqa: F401 - registers the yyyy/dd path converters
from comments import feeds, reader_pages, views

app_name = "comments"

urlpatterns = [
    path("comments/recent/", views.RecentCommentsView.as_view(), name="recent"),
    path("comments/moderation-log/", views.ModerationLogView.as_view(), name="moderation-log"),
    path("comments/standing/", views.standing, name="standing"),
    path("comments/form-tokens/", views.form_tokens, name="form-tokens"),
    path("comments/reader.css", views.reader_css, name="reader-css"),
    path("comments/feed/rss/", feeds.RecentCommentsFeed(), name="feed"),
    path("comments/feed/atom/", feeds.RecentCommentsAtomFeed(), name="feed-atom"),
    path("comments/<int:post_id>/post/", views.post_comment, name="post"),
    path("comments/<int:post_id>/write/", views.write, name="write"),
    path("comments/<int:post_id>/since/<int:number>/", views.since, name="since"),
    path("comments/<int:post_id>/close/", views.thread_close, name="close"),
    path("comments/<int:post_id>/reopen/", views.thread_reopen, name="reopen"),
    path("comments/<int:post_id>/feed/rss/", feeds.PostCommentsFeed(), name="post-feed"),
    path("comments/<int:post_id>/feed/atom/", feeds.PostCommentsAtomFeed(), name="post-feed-atom"),
    path("comments/<int:post_id>/<int:number>/reply/", views.reply, name="reply"),
    path("comments/<int:post_id>/<int:number>/edit/", views.edit, name="edit"),
    path("comments/<int:post_id>/<int:number>/delete/", views.delete, name="delete"),
    path("comments/<int:post_id>/<int:number>/history/", views.history, name="history"),
    path("comments/<int:post_id>/<int:number>/flag/", views.flag, name="flag"),
    path("comments/<int:post_id>/<int:number>/moderate/", views.moderate, name="moderate"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/comments/<int:number>/",
        views.permalink,
        name="permalink",
    ),
]

# Pages about one reader's comments, under /accounts/ in the accounts namespace: config/urls.py
# routes them there beside accounts.urls (accounts knows nothing of comments).
account_urlpatterns = [
    path("replies/", reader_pages.RepliesView.as_view(), name="replies"),
    path("replies/feed/<str:token>/", feeds.RepliesFeed(), name="replies-feed"),
    path("people/<str:username>/", reader_pages.ProfileView.as_view(), name="profile"),
]
