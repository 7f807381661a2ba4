"""Pages about one reader's comments: their public profile, and the replies to them.

They list comments, so they live in comments (which builds on accounts, never the
reverse), while their addresses stay in the accounts namespace under /accounts/
(`accounts:profile`, `accounts:replies`): config/urls.py routes `comments.urls`'s
`account_urlpatterns` there, beside accounts' own pages.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import ListView

from accounts.models import User
from comments.models import Comment
from comments.notifications import replies_to

PROFILE_COMMENTS_PER_PAGE = 20


class ProfileView(ListView):
    """A reader's public profile: name, picture, bio, and what they wrote that readers may see."""

    template_name = "accounts/profile.html"
    context_object_name = "comments"
    paginate_by = PROFILE_COMMENTS_PER_PAGE

    def get_queryset(self):
        self.person = get_object_or_404(
            User.objects.filter(is_active=True), username=self.kwargs["username"]
        )
        return (
            Comment.objects.published()
            .on_live_posts()
            .filter(author=self.person)
            .select_related("post", "author")
            .newest_first()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        context["comment_count"] = context["paginator"].count
        context["is_own_profile"] = self.request.user.pk == self.person.pk
        return context


class RepliesView(ListView):
    """The signed-in reader's "replies to me" page."""

    template_name = "accounts/replies.html"
    context_object_name = "comments"
    paginate_by = PROFILE_COMMENTS_PER_PAGE

    @method_decorator(login_required)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return replies_to(self.request.user)
