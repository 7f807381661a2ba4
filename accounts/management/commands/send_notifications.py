"""Email waiting notifications: retries of one-per-comment emails, and (--digest) daily digests.

Run every few minutes from cron, and once a day with --digest.
"""

from django.core.management.base import BaseCommand

from accounts.notifications import send_pending


class Command(BaseCommand):
    help = "Email waiting comment notifications; with --digest also the daily digests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--digest", action="store_true", help="Also send the daily digests (run once a day)."
        )

    def handle(self, *args, digest: bool = False, **options):
        sent = send_pending(immediate_only=not digest)
        self.stdout.write(f"{sent} email{'' if sent == 1 else 's'} sent.")
