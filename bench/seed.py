"""Seed data for benchmarks: many posts with authors, categories and tags."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from blog.models import Category, Post, Tag
from comments.posting import comment_create

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


# ─── Comment threads ─────────────────────────────────────────────────────────

COMMENTERS = 200
REGISTERED_SHARE = 0.7  # the rest comment as guests
REPLY_PROBABILITY = 0.6

CHATTER = [
    "I", "think", "the", "point", "about", "is", "that", "nobody", "mentions", "what",
    "happened", "after", "really", "but", "they", "said", "we", "should", "read", "again",
    "source", "claim", "evidence", "numbers", "report", "last", "year", "this", "not",
    "quite", "right", "actually", "argument", "which", "was", "never", "clear", "from",
    "official", "statement", "on", "local", "press", "reported", "otherwise", "and",
]  # fmt: skip
FIRST_NAMES = [
    "Steve", "Amira", "Jon", "Farah", "Pieter", "Lena", "Omar", "Kate", "Yusuf", "Mara",
    "Tomas", "Hana", "Ravi", "Ines", "Karim", "Zoe", "Dmitri", "Sara", "Ali", "Nora",
]  # fmt: skip
SURNAMES = ["K.", "B.", "Haddad", "van Dijk", "Rossi", "M.", "Okafor", "Lind", "T.", "Said"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(CHATTER + WORDS) for _ in range(rng.randint(6, 16))]
    styled = rng.random()
    if styled < 0.08:
        words[1] = f"*{words[1]}*"
    elif styled < 0.14:
        words[2] = f"**{words[2]}**"
    elif styled < 0.18:
        words[-1] = f"`{words[-1]}`"
    elif styled < 0.22:
        words[-2] = f"[{words[-2]}](https://example.org/{words[-1]})"
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def comment_body(rng: random.Random, number: int, parent_number: int | None) -> str:
    """300–800 characters of Markdown in the seed's style; a third cite earlier comments."""
    target = rng.randint(300, 800)
    blocks: list[str] = []
    if number > 1 and rng.random() < 0.33:
        is_parent = parent_number is not None and rng.random() < 0.5
        cited = parent_number if is_parent else rng.randint(1, number - 1)
        blocks.append(f"{rng.choice(['@', '@ ', '#'])}{cited} {_sentence(rng)}")
    if rng.random() < 0.15:
        blocks.append(f"> {_sentence(rng)}")
    if rng.random() < 0.08:
        blocks.append("\n".join(f"- {_sentence(rng)}" for _ in range(3)))
    paragraph: list[str] = []
    while sum(map(len, blocks)) + len(" ".join(paragraph)) + 4 * len(blocks) < target - 30:
        paragraph.append(_sentence(rng))
        if rng.random() < 0.25:
            blocks.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        blocks.append(" ".join(paragraph))
    body = "\n\n".join(blocks)
    if len(body) > target:
        body = body[:target].rsplit(" ", 1)[0].rstrip("*`[(") + "."
    while len(body) < 300:
        body += " " + _sentence(rng)
    return body[:800]


def seed_commenters(rng: random.Random) -> list[dict]:
    """200 commenters as keyword arguments for comment_create: registered users and guests."""
    registered = round(COMMENTERS * REGISTERED_SHARE)
    users = User.objects.bulk_create(
        User(
            username=f"reader{index}",
            display_name=(
                f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {index}"
                if rng.random() < 0.6
                else ""
            ),
            email=f"reader{index}@example.org",
        )
        for index in range(registered)
    )
    commenters = [{"author": user} for user in users]
    commenters += [
        {
            "guest_name": f"{rng.choice(FIRST_NAMES)} (guest {index})",
            "guest_email": f"guest{index}@example.net",
        }
        for index in range(COMMENTERS - registered)
    ]
    rng.shuffle(commenters)
    return commenters


def comment_plan(count: int, seed: int) -> list[tuple[int | None, int]]:
    """(parent number or None, commenter index) for comments 1..count.

    Each comment replies with probability 0.6 to a uniformly random earlier one;
    a few commenters write much more than the rest (Zipf-like weights).
    """
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(COMMENTERS)]
    who = rng.choices(range(COMMENTERS), weights=weights, k=count)
    plan = []
    for number in range(1, count + 1):
        is_reply = number > 1 and rng.random() < REPLY_PROBABILITY
        plan.append((rng.randint(1, number - 1) if is_reply else None, who[number - 1]))
    return plan


def seed_comment_post(count: int, commenters: list[dict]) -> Post:
    """A published post carrying `count` comments, each written through comment_create."""
    rng = random.Random(count * 7919)
    author = User.objects.get(username="bench-author")
    started = timezone.now() - timedelta(days=30)
    post = Post.objects.create(
        title=f"A long argument with {count} comments",
        slug=f"bench-comments-{count}",
        author=author,
        body="\n\n".join(_paragraph(rng, 120) for _ in range(8)),
        category=Category.objects.first(),
        status=Post.Status.PUBLISHED,
        published_at=started,
    )
    post.tags.set(Tag.objects.all()[:3])
    step = timedelta(days=25) / count
    for number, (parent_number, who) in enumerate(comment_plan(count, count), start=1):
        comment_create(
            post=post,
            body=comment_body(rng, number, parent_number),
            parent_number=parent_number,
            created_at=started + step * number,
            **commenters[who],
        )
    post.refresh_from_db()
    return post
