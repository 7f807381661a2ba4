"""Imports in admin: past runs with their reports, the review of inferred reply links, and
impersonation suspects.

Review actions call the write functions of imports/reviewing.py, so every
decision is checked, logged in the moderation log and kept on re-imports.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import ngettext

from comments.models import Comment
from imports import reviewing
from imports.models import ImpersonationSuspect, ImportedComment, ImportRun, OldUrl
from imports.report import render_report_html

EXCERPT_CHARS = 220


def comment_card(comment, post, *, note: str = "") -> str:
    """A comment as the review lists show it: number, name, opening words."""
    if comment is None:
        return format_html("<em>top level</em>{}", note)
    return format_html(
        '<a href="{}">#{}</a> <strong>{}</strong>{}<br>{}',
        # Built from the post already fetched: a parent's own post would cost a query per row.
        Comment(post=post, number=comment.number).get_absolute_url(),
        comment.number,
        comment.guest_name or "(registered reader)",
        note,
        Truncator(comment.body).chars(EXCERPT_CHARS),
    )


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "file_name",
        "format",
        "status",
        "is_dry_run",
        "posts_created",
        "comments_added",
        "report_link",
    )
    list_filter = ("status", "is_dry_run", "format")
    search_fields = ("file_name",)
    date_hierarchy = "started_at"
    readonly_fields = (
        "file_name",
        "format",
        "options",
        "is_dry_run",
        "status",
        "started_at",
        "finished_at",
        "counts",
        "report_path",
        "report_link",
    )
    exclude = ("report",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [
            path("<int:pk>/report/", report, name="imports_importrun_report"),
            *super().get_urls(),
        ]

    def report_view(self, request, pk: int):
        """The run's report, rendered from what the run stored (the files may be elsewhere)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=pk)
        return HttpResponse(render_report_html(run.report))

    @admin.display(description="posts created")
    def posts_created(self, run: ImportRun) -> int:
        return (run.counts.get("posts") or {}).get("created", 0)

    @admin.display(description="comments added")
    def comments_added(self, run: ImportRun) -> int:
        return (run.counts.get("comments") or {}).get("added", 0)

    @admin.display(description="report")
    def report_link(self, run: ImportRun) -> str:
        if not run.report:
            return "—"
        return format_html('<a href="{}">Report</a>', run.get_absolute_url())


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"

    def lookups(self, request, model_admin):
        return (("high", "High (0.8 and up)"), ("medium", "Medium (0.5 to 0.8)"), ("low", "Low"))

    def queryset(self, request, queryset):
        if self.value() == "high":
            return queryset.filter(confidence__gte=0.8)
        if self.value() == "medium":
            return queryset.filter(confidence__gte=0.5, confidence__lt=0.8)
        if self.value() == "low":
            return queryset.filter(confidence__lt=0.5)
        return queryset


class ReviewActionForm(ActionForm):
    """The action bar of the review list: the new parent goes with “change parent”."""

    parent_number = forms.IntegerField(
        required=False,
        min_value=1,
        label="New parent #",
        help_text="For “change parent”: the number of an older comment of the same post.",
        widget=forms.NumberInput(attrs={"style": "width: 6em", "placeholder": "#"}),
    )


@admin.register(ImportedComment)
class InferredLinkAdmin(admin.ModelAdmin):
    """Reply links found by inference, child and parent side by side."""

    action_form = ReviewActionForm
    list_display = (
        "child",
        "parent",
        "rule",
        "confidence",
        "evidence_excerpt",
        "review_state",
        "post_title",
    )
    # The comment cards carry their own links: the rule opens the record instead.
    list_display_links = ("rule",)
    list_filter = ("rule", ConfidenceFilter, "review_state")
    search_fields = ("author_name", "evidence", "post__title")
    date_hierarchy = "created_at"
    raw_id_fields = ("comment", "post", "run", "reviewed_by")
    list_select_related = ("comment", "comment__parent", "post")
    readonly_fields = (
        "comment",
        "post",
        "author_name",
        "author_url",
        "created_at",
        "source_id",
        "source_line",
        "run",
        "rule",
        "confidence",
        "evidence",
        "inferred_parent_number",
        "review_state",
        "reviewed_by",
        "reviewed_at",
    )
    actions = ("accept", "make_top_level", "change_parent")
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).inferred().for_review()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Inferred reply links to review", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="reply")
    def child(self, imported: ImportedComment) -> str:
        return comment_card(imported.comment, imported.post)

    @admin.display(description="answers")
    def parent(self, imported: ImportedComment) -> str:
        comment = imported.comment
        note = ""
        if imported.inferred_parent_number and imported.inferred_parent_number != (
            comment.parent_number
        ):
            note = format_html(" <em>(inferred: #{})</em>", imported.inferred_parent_number)
        parent = comment.parent if comment.parent_id else None
        return comment_card(parent, imported.post, note=note)

    @admin.display(description="evidence")
    def evidence_excerpt(self, imported: ImportedComment) -> str:
        return Truncator(imported.evidence).chars(120)

    @admin.display(description="post", ordering="post__title")
    def post_title(self, imported: ImportedComment) -> str:
        return imported.post.title

    def _apply(self, request, queryset, decide, done: str) -> None:
        changed, refused = 0, []
        for imported in queryset:
            try:
                before = imported.review_state, imported.comment.parent_number
                after = decide(imported)
                changed += (after.review_state, after.comment.parent_number) != before
            except ValidationError as error:
                refused.append(f"#{imported.comment.number}: {' '.join(error.messages)}")
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
        self.message_user(
            request,
            ngettext("%(n)d link %(done)s.", "%(n)d links %(done)s.", changed)
            % {"n": changed, "done": done},
            messages.SUCCESS,
        )
        for refusal in refused:
            self.message_user(request, refusal, messages.ERROR)

    @admin.action(description="Accept the inferred parent", permissions=["change"])
    def accept(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda imported: reviewing.link_accept(imported=imported, moderator=request.user),
            "accepted",
        )

    @admin.action(description="Make top-level", permissions=["change"])
    def make_top_level(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda imported: reviewing.link_make_top_level(
                imported=imported, moderator=request.user
            ),
            "made top-level",
        )

    @admin.action(description="Change parent to the number given", permissions=["change"])
    def change_parent(self, request, queryset):
        raw = (request.POST.get("parent_number") or "").strip().lstrip("#")
        number = int(raw) if raw.isdigit() and len(raw) < 8 else None
        if not number:
            self.message_user(
                request, "Give the new parent's number next to the action.", messages.ERROR
            )
            return
        self._apply(
            request,
            queryset,
            lambda imported: reviewing.link_change_parent(
                imported=imported, moderator=request.user, parent_number=number
            ),
            f"moved under #{number}",
        )


@admin.register(ImpersonationSuspect)
class ImpersonationSuspectAdmin(admin.ModelAdmin):
    list_display = ("suspect", "other", "why", "state", "post_title", "created_at")
    list_display_links = ("why",)
    list_filter = ("state",)
    search_fields = ("why", "post__title", "comment__guest_name")
    date_hierarchy = "created_at"
    raw_id_fields = ("post", "comment", "other_comment", "run")
    list_select_related = ("post", "comment", "other_comment")
    readonly_fields = ("post", "comment", "other_comment", "why", "run", "created_at", "state")
    actions = ("confirm", "dismiss")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="suspect comment")
    def suspect(self, suspect: ImpersonationSuspect) -> str:
        return _identity_card(suspect.comment, suspect.post)

    @admin.display(description="compared with")
    def other(self, suspect: ImpersonationSuspect) -> str:
        return _identity_card(suspect.other_comment, suspect.post)

    @admin.display(description="post", ordering="post__title")
    def post_title(self, suspect: ImpersonationSuspect) -> str:
        return suspect.post.title

    def _decide(self, request, queryset, state: str, done: str) -> None:
        count = 0
        for suspect in queryset:
            try:
                before = suspect.state
                count += (
                    reviewing.suspect_decide(
                        suspect=suspect, moderator=request.user, state=state
                    ).state
                    != before
                )
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
        self.message_user(
            request,
            ngettext("%(n)d suspect %(done)s.", "%(n)d suspects %(done)s.", count)
            % {"n": count, "done": done},
            messages.SUCCESS,
        )

    @admin.action(description="Confirm: someone else wrote under this name", permissions=["change"])
    def confirm(self, request, queryset):
        self._decide(request, queryset, ImpersonationSuspect.State.CONFIRMED, "confirmed")

    @admin.action(description="Dismiss", permissions=["change"])
    def dismiss(self, request, queryset):
        self._decide(request, queryset, ImpersonationSuspect.State.DISMISSED, "dismissed")


def _identity_card(comment, post) -> str:
    return format_html(
        "{}<br><small>{} · {}</small>",
        comment_card(comment, post),
        comment.guest_email or "no email",
        comment.ip_address or "no IP",
    )


@admin.register(OldUrl)
class OldUrlAdmin(admin.ModelAdmin):
    list_display = ("path", "post", "comment", "created_at")
    search_fields = ("path", "post__title")
    date_hierarchy = "created_at"
    raw_id_fields = ("post", "comment")
    list_select_related = ("post", "comment")
