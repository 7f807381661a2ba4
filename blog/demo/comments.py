"""Write the demo comment threads through `comment_create`, the site's one write path.

`blog.demo.comment_plan` decides who writes what, when and in reply to which
comment; this module creates the readers' accounts and posts the comments in
that order, so numbers, thread positions, `@N` links and guest-name checks all
come from the same code as a comment sent from the site.
"""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from accounts.taken_names import name_is_reserved
from blog.demo import comment_plan, content
from blog.demo.comment_texts.other_posts import OPEN_THREAD_SLUG, SCRIPTED
from blog.models import Post
from comments.posting import comment_create

# Fixed seeds: the same demo threads on every machine.
SEEDS = {content.LONG_POST_SLUG: 20171005, OPEN_THREAD_SLUG: 1128}
GENERATED = {
    content.LONG_POST_SLUG: comment_plan.LONG_THREAD,
    OPEN_THREAD_SLUG: comment_plan.OPEN_THREAD,
}


@dataclass
class CommentsLoad:
    """What `demo_comments_load` wrote, for the command's report."""

    readers_created: list = field(default_factory=list)
    readers_kept: list = field(default_factory=list)
    comments_per_post: dict = field(default_factory=dict)
    max_depth: int = 0
    references: int = 0

    @property
    def comments(self) -> int:
        """How many comments were posted in all."""
        return sum(self.comments_per_post.values())


def demo_comments_load(*, posts: list[Post], staff: dict, password_hash: str) -> CommentsLoad:
    """Post the demo threads on those posts that have one, oldest post first."""
    known = {spec["slug"] for spec in content.POSTS}
    unknown = (GENERATED.keys() | SCRIPTED.keys()) - known
    if unknown:
        raise ImproperlyConfigured(f"Demo comments for unknown posts: {', '.join(sorted(unknown))}")
    allow_guests = settings.COMMENTS_ALLOW_GUESTS
    people = comment_plan.demo_people({key: user.public_name for key, user in staff.items()})
    writer = _Writer(people=people, staff=staff, password_hash=password_hash)
    # Threads are written in the order they happened: a reader who registered
    # yesterday commented as a guest on last month's posts.
    for post in sorted(posts, key=lambda post: post.published_at):
        plan = _plan(post, people=people, allow_guests=allow_guests)
        if plan:
            writer.write(post, plan)
    return writer.result


def _plan(post: Post, *, people: dict, allow_guests: bool) -> list:
    """The planned comments for a post; none for posts readers can't see or comment on."""
    if not (post.is_live and post.allow_comments):
        return []
    # Comments are never dated after now, however recently the post went out.
    since = (timezone.now() - post.published_at) * 0.9
    if post.slug in GENERATED:
        recipe = GENERATED[post.slug]
        return comment_plan.plan_generated_thread(
            replace(recipe, span=min(recipe.span, since)),
            seed=SEEDS[post.slug],
            start=post.published_at,
            people_by_key=people,
            allow_guests=allow_guests,
        )
    if post.slug in SCRIPTED:
        return comment_plan.plan_scripted_thread(
            SCRIPTED[post.slug],
            start=post.published_at,
            people_by_key=people,
            allow_guests=allow_guests,
            within=since,
        )
    return []


class _Writer:
    """Posts planned comments, creating each reader's account before their first comment."""

    def __init__(self, *, people: dict, staff: dict, password_hash: str):
        self.people, self.password_hash = people, password_hash
        self.accounts = dict(staff)
        self.result = CommentsLoad()
        self.guest_names: dict[str, str] = {}

    def write(self, post: Post, plan: list) -> None:
        for planned in plan:
            author = None if planned.as_guest else self._account(planned.author)
            comment = comment_create(
                post=post,
                body=planned.body,
                author=author,
                guest_name=self._guest_name(planned.name) if author is None else "",
                guest_email=planned.email,
                parent_number=planned.parent,
                ip_address=planned.ip,
                created_at=planned.created_at,
            )
            if comment.number != planned.number:
                # The texts cite comments by their planned numbers.
                raise RuntimeError(
                    f"Demo comment #{planned.number} on {post.slug} was saved as #{comment.number}."
                )
            self.result.max_depth = max(self.result.max_depth, comment.depth)
            self.result.references += len(comment.referenced_numbers)
        self.result.comments_per_post[post.slug] = len(plan)

    def _account(self, key: str):
        """The reader's account, created with the demo password on first use."""
        if key in self.accounts:
            return self.accounts[key]
        person = self.people[key]
        User = get_user_model()
        user = User.objects.filter(username=key).first()
        if user is not None:
            # As for the staff accounts: an existing account is used as it is.
            self.result.readers_kept.append(user)
        else:
            user = User(username=key, display_name=person.name, email=person.email)
            user.password = self.password_hash
            user.save()
            self.result.readers_created.append(user)
        self.accounts[key] = user
        return user

    def _guest_name(self, name: str) -> str:
        """The guest's name, marked as a guest's if an account already holds it."""
        # Checked once, at the name's first comment: a demo reader who registers
        # later (Marisol) keeps the name she used as a guest on her earlier comments.
        if name not in self.guest_names:
            self.guest_names[name] = f"{name} (guest)" if name_is_reserved(name) else name
        return self.guest_names[name]
