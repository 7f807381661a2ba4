"""Seed data for benchmarks: many posts with authors, categories and tags."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from blog.models import Category, Post, Tag

WORDS = [
    "pipeline",
    "ministry",
    "border",
    "ceasefire",
    "sanctions",
    "envoy",
    "treaty",
    "militia",
    "convoy",
    "oil",
    "field",
    "parliament",
    "budget",
    "election",
    "tribunal",
    "analyst",
    "briefing",
    "spokesman",
    "embassy",
    "coalition",
    "airstrike",
    "negotiation",
    "river",
    "bridge",
    "province",
    "capital",
    "reconstruction",
    "refugees",
]


def _paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def seed_posts(count: int) -> Post:
    """Replace all posts with `count` published ones; return one from the middle."""
    rng = random.Random(count)
    Post.objects.all().delete()
    author, _ = User.objects.get_or_create(username="bench-author", defaults={"display_name": "b"})
    categories = [
        Category.objects.get_or_create(slug=f"cat-{i}", defaults={"name": f"Category {i}"})[0]
        for i in range(6)
    ]
    tags = [
        Tag.objects.get_or_create(slug=f"tag-{i}", defaults={"name": f"Tag {i}"})[0]
        for i in range(30)
    ]
    now = timezone.now()
    posts = []
    for index in range(count):
        post = Post(
            title=f"{_paragraph(rng, 6)[:-1]} {index}",
            slug=f"bench-post-{index}",
            author=author,
            body="\n\n".join(_paragraph(rng, 120) for _ in range(8)),
            category=rng.choice(categories),
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(hours=index * 7 + 1),
        )
        post.save()
        posts.append(post)
    through = Post.tags.through
    through.objects.bulk_create(
        through(post_id=post.pk, tag_id=tag.pk) for post in posts for tag in rng.sample(tags, 3)
    )
    return posts[count // 2]
