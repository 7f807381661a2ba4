"""What the job queue keeps beside procrastinate's own tables: sent emails and job errors."""

from django.db import models
from django.utils import timezone


class EmailDelivery(models.Model):
    """One email that went out; its key makes a retried job skip an email already sent."""

    key = models.CharField(
        max_length=200,
        help_text="What this email is about, e.g. “notification:42”: one email per key, ever.",
    )
    to = models.TextField(help_text="The recipients, comma-separated.")
    subject = models.CharField(max_length=300, help_text="The subject line as sent.")
    job = models.ForeignKey(
        "procrastinate.ProcrastinateJob",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="deliveries",
        help_text="The job that sent it (empty once old jobs were cleaned up or when sent "
        "outside a job).",
    )
    sent_at = models.DateTimeField(default=timezone.now, help_text="When the mail server took it.")

    class Meta:
        ordering = ("-sent_at",)
        verbose_name_plural = "email deliveries"
        constraints = [
            models.UniqueConstraint(fields=["key"], name="emaildelivery_key_unique"),
        ]
        indexes = [
            # jobs_cleanup: WHERE sent_at < %s.
            models.Index(fields=["sent_at"], name="emaildelivery_sent_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class JobFailure(models.Model):
    """One failed try of a job, with its error: what admin shows beside the job."""

    job = models.ForeignKey(
        "procrastinate.ProcrastinateJob",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="failures",
        help_text="The job that failed; it is retried later, or marked failed after its last try.",
    )
    task_name = models.CharField(max_length=200, help_text="The job's task.")
    attempt = models.PositiveIntegerField(help_text="Which try failed (1: the first).")
    error = models.TextField(help_text="The exception, as one line.")
    traceback = models.TextField(blank=True, help_text="Where it was raised.")
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-failed_at",)
        indexes = [
            # Admin: a job's failures, newest first.
            models.Index(fields=["job", "-failed_at"], name="jobfailure_job_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} try {self.attempt}: {self.error[:80]}"
