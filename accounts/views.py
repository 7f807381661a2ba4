from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import avatars, notifications
from accounts.forms import (
    AccountDeleteForm,
    EmailChangeForm,
    NotificationSettingsForm,
    ProfileForm,
    QueuedPasswordResetForm,
    SignInForm,
    SignUpForm,
)
from accounts.guest_claims import guest_claim_confirm
from accounts.models import User
from accounts.profiles import account_delete, profile_update
from accounts.registration import (
    account_register,
    email_change_request,
    email_confirm,
    email_confirmation_send,
)
from blog.conditional import conditional
from blog.models import Post

SITE_CONTEXT = {"site_name": settings.SITE_NAME}


def base_url(request) -> str:
    """Scheme and host of this request, for links in emails."""
    return f"{request.scheme}://{request.get_host()}"


def safe_next(request, fallback: str) -> str:
    """The ?next= (or posted next) address when it stays on this site, else `fallback`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


def _attach_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RefusedWith400:
    """For Django's auth views: a form with errors comes back with status 400, as ours do."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


# ─── Sign-in, sign-up, email ─────────────────────────────────────────────────


class SignInView(RefusedWith400, auth_views.LoginView):
    """Sign in by email or username. `?next=` is followed only within this site."""

    form_class = SignInForm
    redirect_authenticated_user = True
    extra_context = SITE_CONTEXT


@require_http_methods(["GET", "POST"])
def signup(request):
    """Create an account; it may comment once the emailed link is followed."""
    if not settings.ACCOUNTS_ALLOW_SIGNUP:
        raise Http404("Sign-up is closed on this site.")
    if request.user.is_authenticated:
        return redirect(safe_next(request, reverse("accounts:profile-edit")))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_register(
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
                base_url=base_url(request),
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            request.session["signup_email"] = form.cleaned_data["email"]
            return redirect("accounts:signup-done")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@require_GET
def signup_done(request):
    """Same page whether the address was new or already had an account."""
    email = request.session.get("signup_email", "")
    return render(request, "accounts/signup_done.html", {"email": email})


@require_GET
def email_confirm_view(request, token: str):
    """Follow the emailed link: the address is confirmed, then the reader signs in."""
    try:
        user = email_confirm(token=token)
    except ValidationError as error:
        return render(
            request, "accounts/email_confirm_failed.html", {"reason": error.messages[0]}, status=400
        )
    messages.success(request, f"Thank you: {user.email} is confirmed. You can comment now.")
    if request.user.is_authenticated:
        return redirect("accounts:profile-edit")
    return redirect("accounts:login")


@require_GET
def guest_name_keep(request, token: str):
    """Follow the emailed link: the guest's name is kept for their address, no account needed."""
    try:
        claim = guest_claim_confirm(token=token)
    except ValidationError as error:
        return render(
            request, "accounts/guest_name_kept.html", {"error": error.messages[0]}, status=400
        )
    return render(request, "accounts/guest_name_kept.html", {"claim": claim})


@login_required
@require_POST
def confirmation_resend(request):
    """Send the sign-up link again to the signed-in reader's own address."""
    user = request.user
    if user.has_confirmed_email:
        messages.info(request, "Your address is already confirmed.")
    else:
        email_confirmation_send(user=user, email=user.email, base_url=base_url(request))
        messages.success(request, f"We sent a new link to {user.email}.")
    return redirect("accounts:profile-edit")


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    """Ask for a new address; it replaces the old one once its link is followed."""
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            email = email_change_request(
                user=request.user, email=form.cleaned_data["email"], base_url=base_url(request)
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(
                request, f"We sent a link to {email}. Your address changes once you follow it."
            )
            return redirect("accounts:profile-edit")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/email_change.html", {"form": form}, status=status)


# ─── Passwords (Django's views, our templates and names) ─────────────────────


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class PasswordResetView(RefusedWith400, auth_views.PasswordResetView):
    """Same answer whether or not an account has the address."""

    form_class = QueuedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    extra_email_context = SITE_CONTEXT
    extra_context = SITE_CONTEXT


class PasswordResetConfirmView(RefusedWith400, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")
    extra_context = SITE_CONTEXT

    def form_valid(self, form):
        # Following the reset link proves the address, as the sign-up link would.
        user = form.user
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        return super().form_valid(form)


class PasswordChangeView(RefusedWith400, auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password-change-done")
    extra_context = SITE_CONTEXT


# ─── Profiles (the public profile page is in comments/reader_pages.py) ───────


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """Edit one's own profile; there is no way to name another account here."""
    user = request.user
    initial = {"display_name": user.display_name or user.username, "bio": user.bio}
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(
                user=user,
                display_name=form.cleaned_data["display_name"],
                bio=form.cleaned_data["bio"],
                avatar=form.cleaned_data.get("avatar") or None,
                remove_avatar=form.cleaned_data.get("remove_avatar", False),
            )
        except ValidationError as error:
            user.refresh_from_db()
            _attach_errors(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect(user.profile_url)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/profile_edit.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Delete one's own account after typing the password."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
            return render(request, "accounts/account_delete.html", {"form": form}, status=403)
        logout(request)
        messages.success(request, "Your account is deleted. Your comments stay, unsigned.")
        return redirect("blog:post-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/account_delete.html", {"form": form}, status=status)


@require_GET
@conditional
@cache_control(public=True, max_age=24 * 3600)
def generated_avatar(request, username: str, size: int):
    """The identicon of an account without a picture (deterministic per account)."""
    if size not in avatars.SIZES:
        raise Http404("No such avatar size.")
    pk = get_object_or_404(User.objects.filter(is_active=True), username=username).pk
    return HttpResponse(avatars.identicon_png(str(pk), size), content_type="image/png")


# ─── Notifications ───────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Reply emails on or off, one by one or daily; followed posts; the private feed."""
    user = request.user
    initial = {
        "is_notified_of_replies": user.is_notified_of_replies,
        "email_frequency": user.email_frequency,
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notifications.notification_settings_update(user=user, **form.cleaned_data)
        messages.success(request, "Your email choices are saved.")
        return redirect("accounts:notifications")
    context = {
        "form": form,
        "subscriptions": user.subscriptions.select_related("post").order_by("-created_at"),
        "feed_url": request.build_absolute_uri(
            reverse("accounts:replies-feed", kwargs={"token": user.feed_token})
        )
        if user.feed_token
        else "",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/notifications.html", context, status=status)


@login_required
@require_POST
def feed_token_renew(request):
    """A new private feed address; the old one stops working."""
    notifications.feed_token_renew(user=request.user)
    messages.success(request, "Your replies feed has a new address; the old one no longer works.")
    return redirect("accounts:notifications")


@login_required
@require_POST
def post_subscribe(request, post_id: int):
    """Follow (or stop following) a live post's comments."""
    post = get_object_or_404(Post.objects.published(), pk=post_id)
    following = notifications.subscription_toggle(user=request.user, post=post)
    messages.success(
        request,
        f"You follow “{post.title}” now: new comments reach you by email."
        if following
        else f"You no longer follow “{post.title}”.",
    )
    return redirect(safe_next(request, f"{post.get_absolute_url()}#comments"))


# The signed token is the protection: mail clients send RFC 8058's one-click POST
# without cookies, so there is no CSRF cookie to check.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request, token: str):
    """An emailed unsubscribe link: a GET shows the choice, the (one-click) POST unsubscribes."""
    try:
        if request.method == "POST":
            user, kind = notifications.unsubscribe(token=token)
        else:
            user, kind = notifications.unsubscribe_link_read(token=token)
    except ValidationError as error:
        return render(
            request, "accounts/unsubscribe_failed.html", {"error": error.messages[0]}, status=400
        )
    post = Post.objects.filter(pk=int(kind[5:])).first() if kind.startswith("post:") else None
    template = "unsubscribed" if request.method == "POST" else "unsubscribe"
    return render(request, f"accounts/{template}.html", {"kind": kind, "post": post})
