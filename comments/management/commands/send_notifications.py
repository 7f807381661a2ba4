"""Queue emails for waiting notifications now; with --digest also the daily digests.

No cron is needed: the job worker sends notifications as they come and queues the
digests on its own daily schedule. This command is for an operator who wants them now
(after an outage, or a digest by hand); the worker sends what it queues.
"""

from django.core.management.base import BaseCommand

from comments.tasks import pending_emails_enqueue


class Command(BaseCommand):
    help = "Queue emails for waiting comment notifications; with --digest also the digests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--digest", action="store_true", help="Also queue the daily digests now."
        )

    def handle(self, *args, digest: bool = False, **options):
        queued = pending_emails_enqueue(digest=digest)
        self.stdout.write(f"{queued} email job{'' if queued == 1 else 's'} queued.")
