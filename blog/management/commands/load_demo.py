"""`manage.py load_demo`: fill an empty database with demo content to explore."""

import os
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from blog.demo.content import LONG_POST_SLUG
from blog.demo.loading import demo_load
from blog.models import Post

ENV_VARIABLE = "RIPOSTE_DEMO_PASSWORD"
# Printed on screen by design: the demo accounts exist to be signed in to locally.
DEFAULT_PASSWORD = "riposte-demo"  # noqa: S105


class Command(BaseCommand):
    help = (
        "Load demo users, categories, tags, posts and comment threads into a database that "
        "has no posts yet; "
        f"does nothing otherwise. Accounts get the password in ${ENV_VARIABLE} "
        f"(default {DEFAULT_PASSWORD!r}): for a local demo only."
    )

    def handle(self, *args, **options):
        password = os.environ.get(ENV_VARIABLE) or DEFAULT_PASSWORD
        started = time.monotonic()
        try:
            loaded = demo_load(password=password)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if loaded is None:
            self.stdout.write("The database already has posts; demo content not loaded.")
            return
        elapsed = time.monotonic() - started

        posts = loaded.posts
        live = sum(post.is_live for post in posts)
        scheduled = sum(post.is_scheduled for post in posts)
        drafts = sum(post.status == Post.Status.DRAFT for post in posts)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded demo content in {elapsed:.1f} s: {len(loaded.users_created)} users, "
                f"{loaded.categories} categories, {loaded.tags} tags, {len(posts)} posts "
                f"({live} live, {scheduled} scheduled, {drafts} draft), "
                f"{loaded.covers} cover images."
            )
        )
        comments = loaded.comments
        long_post = next(post for post in posts if post.slug == LONG_POST_SLUG)
        self.stdout.write(
            f"{comments.comments} comments on {len(comments.comments_per_post)} posts "
            f"({comments.comments_per_post.get(LONG_POST_SLUG, 0)} on the long post), "
            f"nested up to {comments.max_depth} deep, citing each other "
            f"{comments.references} times as @N or #N."
        )
        self.stdout.write(f"Start reading at {long_post.get_absolute_url()}")
        self._report_accounts(loaded, password_is_default=password == DEFAULT_PASSWORD)

    def _report_accounts(self, loaded, *, password_is_default: bool) -> None:
        if loaded.users_created:
            password = DEFAULT_PASSWORD if password_is_default else f"the value of ${ENV_VARIABLE}"
            self.stdout.write(f"\nSign in at {reverse('admin:index')} as (password: {password}):")
            for user in loaded.users_created:
                role = (
                    "superuser"
                    if user.is_superuser
                    else ", ".join(group.name for group in user.groups.all())
                )
                self.stdout.write(f"  {user.username:<10} {user.public_name} ({role})")
        for user in loaded.users_kept:
            self.stdout.write(f"  {user.username:<10} already existed; its password is unchanged.")
        readers = loaded.comments.readers_created
        if readers:
            sample = ", ".join(user.username for user in readers[:3])
            self.stdout.write(
                f"and {len(readers)} readers who comment ({sample}, …), same password; "
                f"they sign in at {reverse('accounts:login')}, not in admin."
            )
        self.stdout.write(
            self.style.WARNING(
                "These accounts and this password are for a local demo only. "
                f"Set ${ENV_VARIABLE} to choose another password, and never load the "
                "demo into a site others can reach."
            )
        )
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is off: is this really a local demo?"))
