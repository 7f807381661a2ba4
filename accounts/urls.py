from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        # Django's auth views put the request's host in `site_name`; keep ours.
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, extra_context={"site_name": settings.SITE_NAME}
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
