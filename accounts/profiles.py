"""Changing one's own account: profile, display name, avatar; deleting the account.

Each function acts on the account it is given and nothing else; views pass
`request.user`, so nobody can reach another person's account through them.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import avatars
from accounts.models import FormerName, User
from accounts.names import canonical_name, clean_display_name, hold_until, refuse_site_label
from accounts.registration import TAKEN_NAME
from accounts.taken_names import name_is_reserved
from blog import cache_keys
from blog.characters import refuse_xml_forbidden
from blog.models import Post

# At most this many name changes in NAME_CHANGE_WINDOW: every old name stays
# reserved for months, so frequent changes would hoard names.
NAME_CHANGES_ALLOWED = 3
NAME_CHANGE_WINDOW = timedelta(days=30)


def display_name_change(*, user: User, display_name: str) -> User:
    """Give an account a new display name; the old one stays reserved to it for a while."""
    display_name = clean_display_name(display_name)
    if display_name == user.display_name:
        return user
    old_name = user.public_name
    if canonical_name(display_name) == user.name_key:
        # Same name, new spelling ("jen" → "Jen"): nothing to reserve.
        user.display_name = display_name
        _save_name(user, display_name)
        return user
    if not user.is_staff:
        # Staff names may say what they are; their badge says it anyway.
        refuse_site_label(display_name, field="display_name")
    if name_is_reserved(display_name, for_user=user):
        raise ValidationError({"display_name": TAKEN_NAME.format(name=display_name)})
    recent = user.former_names.filter(replaced_at__gt=timezone.now() - NAME_CHANGE_WINDOW)
    if recent.count() >= NAME_CHANGES_ALLOWED:
        raise ValidationError(
            {
                "display_name": f"You changed your name {NAME_CHANGES_ALLOWED} times in the last "
                f"{NAME_CHANGE_WINDOW.days} days; try again later."
            }
        )
    now = timezone.now()
    with transaction.atomic():
        FormerName.objects.create(
            user=user,
            name=old_name,
            name_key=user.name_key,
            replaced_at=now,
            held_until=hold_until(now),
        )
        user.display_name = display_name
        _save_name(user, display_name)
    return user


def _save_name(user: User, display_name: str) -> None:
    try:
        with transaction.atomic():
            user.save(update_fields=["display_name"])
    except IntegrityError as error:
        raise ValidationError({"display_name": TAKEN_NAME.format(name=display_name)}) from error
    comment_threads_changed(user)


def comment_threads_changed(user: User) -> None:
    """Mark the threads a person commented in as changed, so cached pages show their new name."""
    post_ids = set(user.comments.values_list("post_id", flat=True))
    Post.objects.filter(pk__in=post_ids).update(comments_version=F("comments_version") + 1)
    for post_id in post_ids:
        cache_keys.post_changed(post_id)
    cache_keys.site_comments_changed()


def profile_update(
    *, user: User, display_name: str, bio: str, avatar=None, remove_avatar: bool = False
) -> User:
    """Save the reader's own profile: name, bio (Markdown) and avatar."""
    try:
        refuse_xml_forbidden(bio)
    except ValidationError as error:
        raise ValidationError({"bio": error.messages}) from error
    display_name_change(user=user, display_name=display_name)
    user.bio = (bio or "").strip().replace("\r\n", "\n")
    fields = ["bio"]
    replaced = {}
    if avatar is not None:
        renditions = avatars.store_avatar(avatar, user_pk=user.pk)
        replaced, user.avatar_renditions = user.avatar_renditions, renditions
        user.avatar.name = renditions[str(max(avatars.SIZES))]
        fields += ["avatar", "avatar_renditions"]
    elif remove_avatar and user.avatar_renditions:
        replaced, user.avatar_renditions = user.avatar_renditions, {}
        user.avatar.name = ""
        fields += ["avatar", "avatar_renditions"]
    user.save(update_fields=fields)
    if replaced:
        transaction.on_commit(lambda: avatars.delete_stored(replaced))
    return user


def account_delete(*, user: User) -> None:
    """Delete one's account: comments stay as "[deleted account]", the name stays held a while."""
    if user.is_superuser:
        raise PermissionDenied("A superuser account can't delete itself; ask another superuser.")
    if user.posts.exists():
        raise PermissionDenied(
            "This account wrote posts, which must keep an author. Ask an editor to move them "
            "to another author first."
        )
    now = timezone.now()
    renditions = dict(user.avatar_renditions)
    with transaction.atomic():
        # Nobody may step into the name of someone who just left.
        FormerName.objects.create(
            user=None,
            name=user.public_name,
            name_key=user.name_key,
            replaced_at=now,
            held_until=hold_until(now),
        )
        comment_threads_changed(user)
        user.delete()
    if renditions:
        transaction.on_commit(lambda: avatars.delete_stored(renditions))
