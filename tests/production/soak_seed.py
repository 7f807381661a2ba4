"""Accounts and posts for a fault or load run (tests/production/stack.py); prints them as JSON.

`python -m tests.production.soak_seed --writers 4 [--demo] [--comments 1000]`, with
the run's DATABASE_URL: a post whose comments by `soak-target` (who wants an email
for every reply) the writers answer, `--writers` confirmed accounts with a known
password, and optionally the demo content and a generated post with many comments.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from blog.models import Category, Post  # noqa: E402
from comments.models import Comment  # noqa: E402
from comments.posting import comment_create  # noqa: E402
from tests.production.stack import WRITER_PASSWORD  # noqa: E402

TARGET_COMMENTS = 20


def demo_page() -> str:
    from blog.demo.content import LONG_POST_SLUG
    from blog.demo.loading import demo_load

    if not Post.objects.exists():
        demo_load(password=WRITER_PASSWORD)
    return Post.objects.get(slug=LONG_POST_SLUG).get_absolute_url()


def generated_page(count: int) -> str:
    import random

    from bench.seed import seed_comment_post, seed_commenters

    User.objects.get_or_create(username="bench-author", defaults={"display_name": "Bench Author"})
    Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    existing = Post.objects.filter(slug=f"bench-comments-{count}").first()
    if existing is None:
        existing = seed_comment_post(count, seed_commenters(random.Random(count)))
    return existing.get_absolute_url()


def session_for(user: User) -> str:
    """A signed-in session, as the sign-in form leaves it (without hashing a password
    per writer: PBKDF2 takes a second of a loaded machine's core)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.EmailOrUsernameBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--comments", type=int, default=0)
    parser.add_argument("--demo", action="store_true")
    options = parser.parse_args()
    pages = {}
    if options.demo:
        pages["demo"] = demo_page()
    if options.comments:
        pages[f"comments_{options.comments}"] = generated_page(options.comments)
    now = timezone.now()
    password = make_password(WRITER_PASSWORD)
    target, _ = User.objects.get_or_create(
        username="soak-target",
        defaults={
            "display_name": "Soak Target",
            "email": "target@example.org",
            "email_verified_at": now,
            "is_notified_of_replies": True,
            "email_frequency": User.EmailFrequency.EACH,
        },
    )
    writers = []
    sessions = {}
    for index in range(options.writers + 1):
        user, _ = User.objects.get_or_create(
            username=f"soak-writer-{index}",
            defaults={
                "display_name": f"Soak Writer {index}",
                "email": f"writer{index}@example.org",
                "email_verified_at": now,
                "password": password,
            },
        )
        writers.append(user.username)
        sessions[user.username] = session_for(user)
    limits_account = writers.pop()  # the two-server phase's rate-limit check alone uses it
    author = User.objects.filter(is_superuser=False).exclude(pk=target.pk).first() or target
    post, created = Post.objects.get_or_create(
        slug="soak-post",
        defaults={
            "title": "Where the comments go under load",
            "author": author,
            "body": "A post the fault runs answer.",
            "status": Post.Status.PUBLISHED,
            "published_at": now,
        },
    )
    if created:
        for index in range(TARGET_COMMENTS):
            comment_create(post=post, body=f"Target comment {index}.", author=target)
    targets = list(
        Comment.objects.filter(post=post, author=target).values_list("number", flat=True)
    )
    pages["soak"] = post.get_absolute_url()
    print(
        json.dumps(
            {
                "post_id": post.pk,
                "targets": targets,
                "writers": writers,
                "limits_account": limits_account,
                "sessions": sessions,
                "pages": pages,
            }
        )
    )


if __name__ == "__main__":
    main()
