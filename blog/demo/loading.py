"""Write the demo content in `blog.demo.content` into an empty database.

Posts are saved through the model like any post written in admin, so Markdown,
plain text, search vectors and cover renditions come from `Post.save`, and each
cover goes through the same cleaning as an upload. Comments are posted by
`blog.demo.comments` through the site's own `comment_create`.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from blog.demo import content
from blog.demo.comments import CommentsLoad, demo_comments_load
from blog.demo.images import draw_map_cover
from blog.models import Category, Post, Tag
from jobs.outbox import queued_jobs_discard


@dataclass
class DemoLoad:
    """What `demo_load` wrote, for the command's report."""

    users_created: list = field(default_factory=list)
    users_kept: list = field(default_factory=list)
    categories: int = 0
    tags: int = 0
    posts: list = field(default_factory=list)
    comments: CommentsLoad = field(default_factory=CommentsLoad)

    @property
    def covers(self) -> int:
        """How many of the loaded posts have a cover picture."""
        return sum(1 for post in self.posts if post.cover_image)


def demo_load(*, password: str, now: datetime | None = None) -> DemoLoad | None:
    """Fill a database without posts with demo users, categories, tags, posts and comments.

    Does nothing and returns None when the database already has posts.
    """
    now = now or timezone.now()
    result = DemoLoad()
    try:
        with transaction.atomic():
            if Post.objects.exists():
                return None
            users = _users(password=password, result=result)
            categories = {
                slug: Category.objects.get_or_create(
                    slug=slug, defaults={"name": name, "description": description}
                )[0]
                for slug, name, description in content.CATEGORIES
            }
            tags = {
                slug: Tag.objects.get_or_create(
                    slug=slug, defaults={"name": name, "description": description}
                )[0]
                for slug, name, description in content.TAGS
            }
            result.categories, result.tags = len(categories), len(tags)
            for spec in content.POSTS:
                post = _unsaved_post(spec, users=users, categories=categories, now=now)
                result.posts.append(post)
                post.full_clean()
                post.save()
                post.tags.set([tags[slug] for slug in spec["tags"]])
            # The demo posts were written when they were published, not today.
            Post.objects.filter(pk__in=[p.pk for p in result.posts]).update(
                created_at=F("published_at"), updated_at=F("published_at")
            )
            # One hash for all the readers' accounts: hashing is slow by design,
            # and every demo account has the same password anyway.
            result.comments = demo_comments_load(
                posts=result.posts, staff=users, password_hash=make_password(password)
            )
            # The demo's comments are history: nobody is emailed about them.
            queued_jobs_discard(
                task_names=("accounts.comment_notify", "accounts.guest_claim_offer")
            )
    except Exception:
        # A rollback undoes the rows but not the files already in storage.
        _delete_cover_files(result.posts)
        raise
    return result


def _users(*, password: str, result: DemoLoad) -> dict:
    """The demo accounts by username, creating those that do not exist yet."""
    # An account that already exists (say, from createsuperuser) is used as it
    # is: its password and roles are never changed by the demo.
    User = get_user_model()
    group_names = {spec["group"] for spec in content.USERS if spec["group"]}
    groups = {group.name: group for group in Group.objects.filter(name__in=group_names)}
    missing = group_names - groups.keys()
    if missing:
        raise ImproperlyConfigured(
            f"Group(s) {', '.join(sorted(missing))} missing; run `manage.py migrate` first."
        )
    users = {}
    for spec in content.USERS:
        user = User.objects.filter(username=spec["username"]).first()
        if user is not None:
            result.users_kept.append(user)
        else:
            user = User(
                username=spec["username"],
                display_name=spec["display_name"],
                first_name=spec.get("first_name", ""),
                last_name=spec.get("last_name", ""),
                email=spec["email"],
                is_staff=spec["is_staff"],
                is_superuser=spec["is_superuser"],
            )
            user.set_password(password)
            user.save()
            if spec["group"]:
                user.groups.add(groups[spec["group"]])
            result.users_created.append(user)
        users[spec["username"]] = user
    return users


def _unsaved_post(spec: dict, *, users: dict, categories: dict, now: datetime) -> Post:
    """A post built from its spec, with its cover drawn but not yet stored."""
    published_at = now - spec["published_ago"]
    post = Post(
        title=spec["title"],
        slug=spec["slug"],
        author=users[spec["author"]],
        body=spec["body"],
        excerpt=spec.get("excerpt", ""),
        status=Post.Status.DRAFT if spec.get("is_draft") else Post.Status.PUBLISHED,
        published_at=published_at,
        # Written a little before it went out; a scheduled post was written today.
        created_at=min(published_at, now) - timedelta(hours=3),
        category=categories[spec["category"]],
        allow_comments=spec.get("allow_comments", True),
    )
    cover = spec.get("cover")
    if cover:
        picture = draw_map_cover(
            seed=cover["seed"],
            places=cover["places"],
            route=cover.get("route", ()),
            caption=content.MAP_CAPTION,
        )
        # Assigned uncommitted, so Post.save cleans it like an admin upload.
        post.cover_image = ContentFile(picture, name=f"{_file_stem(spec['slug'])}.jpg")
        post.cover_image_alt = cover["alt"]
    return post


def _delete_cover_files(posts: list[Post]) -> None:
    """Remove the stored covers and renditions of posts whose rows were rolled back."""
    for post in posts:
        if not post.cover_image or not post.cover_image._committed:
            continue
        storage = post.cover_image.storage
        for name in [post.cover_image.name, *post.cover_renditions.values()]:
            storage.delete(name)


def _file_stem(slug: str, limit: int = 40) -> str:
    """The slug, cut at a hyphen to at most `limit` characters, as a file name stem."""
    # Stored names must fit the field's 100 characters with the upload folder.
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]
