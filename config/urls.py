from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from accounts import urls as account_urls
from blog import health
from blog.conditional import conditional
from blog.sitemaps import SITEMAPS
from blog.views import favicon, robots_txt
from comments import urls as comment_urls

# Error pages in the site's layout (blog/errors.py); 404 is Django's own, with 404.html.
handler400 = "blog.errors.bad_request"
handler403 = "blog.errors.permission_denied"
handler500 = "blog.errors.server_error"

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    # Answered by blog.health.HealthProbeMiddleware ahead of host checks; here for reverse().
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # One accounts namespace: accounts' own pages, and comments' pages about one reader
    # (profile, replies), which list comments and so live in comments.
    path(
        "accounts/",
        include(
            (account_urls.urlpatterns + comment_urls.account_urlpatterns, account_urls.app_name)
        ),
    ),
    path("sitemap.xml", conditional(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", conditional(robots_txt), name="robots-txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("comments.urls")),
    path("", include("imports.urls")),
    path("", include("blog.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(
        0, re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
