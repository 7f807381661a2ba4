"""The moderation log in words: what each logged action did, as a reader would say it.

One sentence per `ModerationAction`, after who did it: "approved #3 on The vote",
"banned the author of #7 on The vote", "closed the comments on The vote". The
public log and the admin's log print the same sentence, so they never disagree.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString

from comments.models import ModerationAction

Action = ModerationAction.Action

# Actions on a comment: `{comment}` is "#12 on <post>".
ABOUT_A_COMMENT = {
    Action.PUBLISH: "approved {comment}",
    Action.REMOVE: "removed {comment}",
    Action.SPAM: "marked {comment} as spam",
    Action.RESTORE: "restored {comment}",
    Action.HOLD: "held {comment} for review",
    Action.DISMISS_FLAGS: "dismissed the flags on {comment}",
    Action.DELETE: "deleted {comment} for good",
    Action.BAN: "banned the author of {comment}",
}
# Actions on a reader or a post, with no comment named.
ABOUT_A_READER = {
    Action.BAN: "banned {user}",
    Action.UNBAN: "lifted the ban on {user}",
}
ABOUT_A_POST = {
    Action.CLOSE: "closed the comments on {post}",
    Action.REOPEN: "reopened the comments on {post}",
}


def what_happened(entry: ModerationAction) -> SafeString:
    """The log sentence after the actor: "removed #12 on <post>", "banned the author of #7"."""
    post = (
        format_html('<a href="{}">{}</a>', entry.post.get_absolute_url(), entry.post.title)
        if entry.post is not None
        else ""
    )
    if entry.comment_number is not None:
        number = f"#{entry.comment_number}"
        # A comment deleted for good has no page left to link to.
        if entry.comment_id is not None and entry.comment_url:
            number = format_html('<a href="{}">{}</a>', entry.comment_url, number)
        comment = format_html("{} on {}", number, post) if post else number
        wording = ABOUT_A_COMMENT.get(
            entry.action, f"{entry.get_action_display().lower()} {{comment}}"
        )
        return format_html(wording, comment=comment)
    if entry.action in ABOUT_A_READER:
        name = entry.user.public_name if entry.user is not None else "a deleted account"
        return format_html(ABOUT_A_READER[entry.action], user=name)
    wording = ABOUT_A_POST.get(entry.action, f"{entry.get_action_display().lower()} {{post}}")
    return format_html(wording, post=post or "a deleted post")
