"""Comments in admin: the moderation queue (`queue`) and the moderation records (`records`)."""

from comments.admin import queue, records  # noqa: F401 - importing registers the admin classes
