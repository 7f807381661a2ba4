"""The queue in admin: jobs (pending, running, failed with their error), retried from here."""

import json

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html
from procrastinate.contrib.django.admin import ProcrastinateJobAdmin
from procrastinate.contrib.django.models import ProcrastinateJob

from jobs.models import EmailDelivery, JobFailure


class JobFailureInline(admin.TabularInline):
    model = JobFailure
    fields = ("attempt", "failed_at", "error", "traceback")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-failed_at",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(ProcrastinateJob)


@admin.register(ProcrastinateJob)
class JobAdmin(ProcrastinateJobAdmin):
    """Procrastinate's job admin (retry, cancel, abort) plus each job's last error."""

    list_display = [
        "pk",
        "short_task_name",
        "pretty_args",
        "pretty_status",
        "last_error",
        "summary",
    ]
    search_fields = ["task_name"]
    inlines = [JobFailureInline, *ProcrastinateJobAdmin.inlines]

    class Media:
        css = {"all": ("css/admin-jobs.css",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("failures", queryset=JobFailure.objects.order_by("-failed_at"))
            )
        )

    @admin.display(description="Args")
    def pretty_args(self, job: ProcrastinateJob) -> str:
        """procrastinate's, with a class instead of its inline style (the CSP allows none)."""
        indent = 2 if len(job.args) > 1 or len(str(job.args)) > 30 else None
        pretty_json = json.dumps(job.args, indent=indent)
        if len(pretty_json) > 2000:
            pretty_json = pretty_json[:2000] + "..."
        return format_html('<pre class="job-args">{}</pre>', pretty_json)

    @admin.display(description="last error")
    def last_error(self, job: ProcrastinateJob) -> str:
        failures = list(job.failures.all())
        if not failures:
            return ""
        return format_html("<code>{}</code> (try {})", failures[0].error[:200], failures[0].attempt)


@admin.register(JobFailure)
class JobFailureAdmin(admin.ModelAdmin):
    """Every failed try of a job, newest first: the error and where it was raised."""

    list_display = ("failed_at", "task_name", "job_id", "attempt", "error")
    list_filter = ("task_name",)
    search_fields = ("task_name", "error")
    date_hierarchy = "failed_at"
    readonly_fields = ("job_id", "task_name", "attempt", "error", "traceback", "failed_at")
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """Emails that went out, one per key: proof that a retried job sent nothing twice."""

    list_display = ("sent_at", "key", "subject", "to", "job_id")
    search_fields = ("key", "subject")
    date_hierarchy = "sent_at"
    readonly_fields = ("key", "to", "subject", "job_id", "sent_at")
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
