from django.urls import path

from blog import converters, feeds, views  # noqa: F401 - converters registers yyyy/dd

app_name = "blog"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("<yyyy:year>/", views.YearArchiveView.as_view(), name="archive-year"),
    path("<yyyy:year>/<dd:month>/", views.MonthArchiveView.as_view(), name="archive-month"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.PostDetailView.as_view(),
        name="post-detail",
    ),
    path("preview/<int:pk>/", views.PostPreviewView.as_view(), name="post-preview"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("tags/<slug:slug>/feed/rss/", feeds.TagFeed(), name="tag-feed"),
    path("tags/<slug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("categories/<slug:slug>/", views.CategoryDetailView.as_view(), name="category-detail"),
    path("categories/<slug:slug>/feed/rss/", feeds.CategoryFeed(), name="category-feed"),
    path(
        "categories/<slug:slug>/feed/atom/",
        feeds.CategoryAtomFeed(),
        name="category-feed-atom",
    ),
    path("authors/<str:username>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/rss/", feeds.LatestPostsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="feed-atom"),
]
