"""Who may moderate what. Every moderator endpoint and write function asks these.

Moderators are the "Moderators" group (permissions from data migrations);
superusers may do everything. A post's author may moderate the comments of
their own posts only when `COMMENTS_AUTHORS_MODERATE` is on.
"""

from django.conf import settings


def _authors_moderate() -> bool:
    return settings.COMMENTS_AUTHORS_MODERATE


def _is_own_post(user, post) -> bool:
    return _authors_moderate() and post is not None and post.author_id == user.pk


def can_moderate(user, post=None) -> bool:
    """Approve, remove, mark spam, restore, dismiss flags: moderators, or the post's author
    when COMMENTS_AUTHORS_MODERATE is on."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.has_perm("comments.change_comment") or _is_own_post(user, post)


def can_close(user, post) -> bool:
    """Close and reopen a post's comments: moderators, or its author when authors moderate."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.has_perm("comments.close_thread") or _is_own_post(user, post)


def can_ban(user) -> bool:
    """Ban and unban readers: moderators only (a ban reaches beyond one post)."""
    return user.is_authenticated and user.is_active and user.has_perm("comments.add_ban")


def can_delete_for_good(user) -> bool:
    """Delete a comment from the database: superusers only."""
    return user.is_authenticated and user.is_active and user.is_superuser


def is_trusted(user) -> bool:
    """Commenters whose comments skip pre-moderation: the skip permission, or a listed username."""
    if user is None or not user.is_authenticated:
        return False
    return user.username in settings.COMMENTS_TRUSTED_USERS or user.has_perm(
        "comments.skip_premoderation"
    )


def can_see_comment(user, comment, post) -> bool:
    """Who may know that a comment exists: anyone when it is published, its author, and
    those who moderate its post. To everyone else it is answered like a missing number."""
    if comment.status == comment.Status.PUBLISHED:
        return True
    if user is not None and user.is_authenticated and comment.author_id == user.pk:
        return True
    return user is not None and can_moderate(user, post)
