"""Comment jobs (jobs/outbox.py): the moderators' alert when readers' flags hold a comment.

Comments close by age without a sweep: `comments_closed_by_age` decides on each read
and write, so no scheduled job is needed for it.
"""

from comments.moderation.alerts import notify_moderators_of_hold
from jobs.outbox import job


@job(name="comments.moderators_alert")
def moderators_alert(*, comment_id: int, action_id: int) -> bool:
    """Email the moderators about one hold by flags (once, whatever the retries)."""
    return notify_moderators_of_hold(comment_id=comment_id, action_id=action_id)
