from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

# The pages about one reader's comments (their profile, the replies to them) join these
# in the accounts namespace from comments.urls.account_urlpatterns (config/urls.py).
app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup-done"),
    path("confirm/<str:token>/", views.email_confirm_view, name="email-confirm"),
    path("keep-name/<str:token>/", views.guest_name_keep, name="guest-name-keep"),
    path("confirm-again/", views.confirmation_resend, name="confirmation-resend"),
    path("email/", views.email_change, name="email-change"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(extra_context=views.SITE_CONTEXT),
        name="password-change-done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(extra_context=views.SITE_CONTEXT),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=views.SITE_CONTEXT),
        name="password-reset-complete",
    ),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("delete/", views.delete_account, name="account-delete"),
    path("notifications/", views.notification_settings, name="notifications"),
    path("notifications/feed-address/", views.feed_token_renew, name="feed-token-renew"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("follow/<int:post_id>/", views.post_subscribe, name="post-subscribe"),
    path(
        "people/<str:username>/avatar-<int:size>.png",
        views.generated_avatar,
        name="avatar-generated",
    ),
]
