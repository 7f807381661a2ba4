"""Moderation: who may moderate, the moderator's write functions, flags, and spam screening.

- `permissions`: the rules for who may approve, remove, ban and close.
- `actions`: every moderator action as a write function that checks the
  permission, changes the comment, user or post, logs a `ModerationAction` and
  refreshes cached threads.
- `log`: the moderation log in words ("removed #12 on <post>").
- `flags`: readers flagging comments; enough flags hold a comment.
- `screening`: what happens to a new comment before it is saved: bans, rate
  limits, duplicates and the pre-moderation rules.
"""
