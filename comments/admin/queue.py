"""The moderation queue: comments in admin, held and flagged ones first, with bulk actions.

It opens on what needs review, with a button per decision on each row (review.py).

Every action here calls the same write functions as the post page
(comments.moderation.actions), so each change is checked, logged and refreshes
cached threads. Actions are hidden from users who may not use them.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from comments.admin.review import DEFAULT_REMOVE_REASON, QueueFilter, ReviewMixin
from comments.models import (
    Comment,
    CommentRevision,
    Flag,
    ThreadVisit,
)
from comments.moderation import actions as moderation
from comments.moderation.permissions import can_ban, can_delete_for_good, can_moderate

Status = Comment.Status

BAN_LENGTHS = (
    ("7", "7 days"),
    ("1", "1 day"),
    ("30", "30 days"),
    ("365", "1 year"),
    ("0", "for good"),
)


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    can_delete = False
    fields = ("written_at", "replaced_at", "body")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ModerationActionForm(ActionForm):
    """The action bar of the comment list: a reason and a ban length go with the action."""

    reason = forms.CharField(
        required=False,
        max_length=moderation.REASON_MAX_LENGTH,
        label="Reason",
        help_text="Required to remove or ban in bulk; readers see a removal's reason. A row's "
        "Remove button uses it too (left empty: the readers' flag reasons, else "
        f"“{DEFAULT_REMOVE_REASON}”).",
        widget=forms.TextInput(attrs={"size": 40, "placeholder": "Reason (remove, ban)"}),
    )
    ban_days = forms.ChoiceField(choices=BAN_LENGTHS, required=False, label="Ban for")
    shadow = forms.BooleanField(required=False, label="Shadow-ban")


class CommentModerationForm(forms.ModelForm):
    """The change form: only the status and its reason change, through the write functions."""

    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in (Status.PUBLISHED, Status.PENDING, Status.REMOVED)]
        + [(Status.SPAM.value, Status.SPAM.label)],
        help_text="Changing it is logged. Removing needs a reason, shown to readers.",
    )

    class Meta:
        model = Comment
        fields = ("status", "moderation_reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        if current not in dict(self.fields["status"].choices):
            self.fields["status"].choices += [(current, Status(current).label)]

    def clean(self):
        cleaned = super().clean()
        before = Comment.objects.filter(pk=self.instance.pk).values_list("status", flat=True)
        before, after = before.first(), cleaned.get("status")
        if after == before:
            return cleaned
        if before == Status.DELETED:
            self.add_error("status", "Its author deleted this comment; it can't be moderated.")
        elif after == Status.REMOVED and not cleaned.get("moderation_reason", "").strip():
            self.add_error("moderation_reason", "Give a reason for removing it; readers see it.")
        return cleaned


class FlaggedFilter(admin.SimpleListFilter):
    title = "flags"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return (("open", "Open flags"), ("none", "No open flags"))

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(open_flag_count__gt=0)
        if self.value() == "none":
            return queryset.filter(open_flag_count=0)
        return queryset


class FlagReasonFilter(admin.SimpleListFilter):
    title = "flag reason"
    parameter_name = "flag_reason"

    def lookups(self, request, model_admin):
        return Flag.Reason.choices

    def queryset(self, request, queryset):
        if self.value() in Flag.Reason.values:
            return queryset.filter(
                pk__in=Flag.objects.open().filter(reason=self.value()).values("comment_id")
            )
        return queryset


@admin.register(Comment)
class CommentAdmin(ReviewMixin, admin.ModelAdmin):
    """The moderation queue: held comments first, then flagged ones, then the rest."""

    form = CommentModerationForm
    action_form = ModerationActionForm
    list_display = (
        "number",
        "excerpt",
        "on_post",
        "who",
        "state",
        "flags",
        "posted",
        "decide",
    )
    list_display_links = ("number",)
    list_filter = (
        QueueFilter,
        "status",
        FlaggedFilter,
        FlagReasonFilter,
        ("post", admin.RelatedOnlyFieldListFilter),
        ("author", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    list_select_related = ("post", "author")
    list_per_page = 50
    search_fields = (
        "body",
        "guest_name",
        "guest_email",
        "author__username",
        "author__display_name",
        "author__email",
        "post__title",
        "moderation_reason",
    )  # and an address or network: ReviewMixin.get_search_results
    date_hierarchy = "created_at"
    raw_id_fields = ("post", "parent", "author")
    readonly_fields = (
        "post",
        "number",
        "parent",
        "depth",
        "author",
        "guest_name",
        "guest_email",
        "body",
        "created_at",
        "edited_at",
        "ip_address",
        "flag_list",
    )
    fields = (*readonly_fields, "status", "moderation_reason")
    inlines = (CommentRevisionInline,)
    actions = (
        "approve",
        "remove",
        "mark_spam",
        "restore",
        "dismiss_flags",
        "ban_authors",
    )

    def get_queryset(self, request):
        # ModelAdmin.get_queryset orders before we could annotate what it orders by.
        return Comment.objects.for_moderation_queue().order_by(*self.get_ordering(request))

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return can_delete_for_good(request.user)

    def get_actions(self, request):
        found = super().get_actions(request)
        if not can_delete_for_good(request.user):
            found.pop("delete_selected", None)
        if not can_moderate(request.user):
            for name in ("approve", "remove", "mark_spam", "restore", "dismiss_flags"):
                found.pop(name, None)
        if not can_ban(request.user):
            found.pop("ban_authors", None)
        return found

    # ── Saving through the write functions ──

    def save_model(self, request, obj, form, change):
        wanted, reason = obj.status, obj.moderation_reason
        before = Comment.objects.only("status").get(pk=obj.pk).status
        obj.status = before
        if wanted == before:
            return
        if wanted == Status.PUBLISHED:
            write = (
                moderation.comment_publish
                if before in (Status.PENDING, Status.SHADOWED)
                else moderation.comment_restore
            )
        else:
            write = {
                Status.REMOVED: moderation.comment_remove,
                Status.SPAM: moderation.comment_mark_spam,
                Status.PENDING: moderation.comment_hold,
            }[wanted]
        write(comment=obj, moderator=request.user, reason=reason)

    def delete_model(self, request, obj):
        moderation.comment_delete_hard(comment=obj, moderator=request.user)

    def delete_queryset(self, request, queryset):
        # Deepest first: a reply goes before the comment it answers.
        for comment in queryset.select_related("post").order_by("-depth"):
            moderation.comment_delete_hard(comment=comment, moderator=request.user)

    # ── Bulk actions ──

    def _each(self, request, queryset, write, done: tuple[str, str], **kwargs) -> None:
        """Run `write` on every selected comment; report how many changed and why others didn't."""
        changed, refused = 0, []
        for comment in queryset:
            before = (comment.status, comment.open_flag_count)
            try:
                write(comment=comment, moderator=request.user, **kwargs)
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"#{comment.number}: {' '.join(_messages_of(error))}")
                continue
            dismissed = write is moderation.flags_dismiss and before[1] > 0
            changed += comment.status != before[0] or dismissed
        if changed:
            self.message_user(
                request, ngettext(done[0], done[1], changed) % {"count": changed}, messages.SUCCESS
            )
        if refused:
            left = ngettext(
                "%(count)d comment was left as it was: ",
                "%(count)d comments were left as they were: ",
                len(refused),
            )
            self.message_user(
                request, left % {"count": len(refused)} + "; ".join(refused), messages.WARNING
            )
        if not changed and not refused:
            self.message_user(request, "Nothing changed: the comments were already so.")

    @admin.action(description="Approve selected comments")
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            moderation.comment_publish,
            ("%(count)d comment was approved.", "%(count)d comments were approved."),
            reason=_reason(request),
        )

    @admin.action(description="Remove selected comments (with the reason above)")
    def remove(self, request, queryset):
        reason = _reason(request)
        if not reason:
            self.message_user(
                request, "Give a reason to remove comments; readers see it.", messages.ERROR
            )
            return
        self._each(
            request,
            queryset,
            moderation.comment_remove,
            ("%(count)d comment was removed.", "%(count)d comments were removed."),
            reason=reason,
        )

    @admin.action(description="Mark selected comments as spam")
    def mark_spam(self, request, queryset):
        self._each(
            request,
            queryset,
            moderation.comment_mark_spam,
            ("%(count)d comment was marked as spam.", "%(count)d comments were marked as spam."),
            reason=_reason(request),
        )

    @admin.action(description="Restore selected comments")
    def restore(self, request, queryset):
        self._each(
            request,
            queryset,
            moderation.comment_restore,
            ("%(count)d comment was restored.", "%(count)d comments were restored."),
            reason=_reason(request),
        )

    @admin.action(description="Dismiss the flags on selected comments")
    def dismiss_flags(self, request, queryset):
        self._each(
            request,
            queryset,
            moderation.flags_dismiss,
            (
                "The flags on %(count)d comment were dismissed.",
                "The flags on %(count)d comments were dismissed.",
            ),
            reason=_reason(request),
        )

    @admin.action(description="Ban the authors of selected comments (length and reason above)")
    def ban_authors(self, request, queryset):
        reason = _reason(request)
        if not reason:
            self.message_user(request, "Give a reason for the ban.", messages.ERROR)
            return
        days = int(request.POST.get("ban_days") or 7) or None
        shadow = bool(request.POST.get("shadow"))
        banned, refused, guests = set(), [], 0
        for comment in queryset:
            if comment.author is None:
                guests += 1
                continue
            if comment.author_id in banned:
                continue
            try:
                moderation.user_ban(
                    user=comment.author,
                    moderator=request.user,
                    reason=reason,
                    days=days,
                    is_shadow=shadow,
                    comment=comment,
                )
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{comment.author.public_name}: {' '.join(_messages_of(error))}")
                continue
            banned.add(comment.author_id)
        if banned:
            self.message_user(
                request,
                ngettext(
                    "%(count)d reader was banned %(length)s.",
                    "%(count)d readers were banned %(length)s.",
                    len(banned),
                )
                % {"count": len(banned), "length": moderation.ban_length_text(days)},
                messages.SUCCESS,
            )
        if guests:
            self.message_user(
                request,
                ngettext(
                    "%(count)d comment is by a guest, who has no account to ban; ",
                    "%(count)d comments are by guests, who have no account to ban; ",
                    guests,
                )
                % {"count": guests}
                + "add their email or address to the block list instead.",
                messages.WARNING,
            )
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    # ── Columns ──

    @admin.display(description="open flags", ordering="open_flag_count")
    def flags(self, obj: Comment) -> str:
        if not obj.open_flag_count:
            return "–"
        return f"{obj.open_flag_count}: {obj.open_flag_reasons}"

    @admin.display(description="readers' flags")
    def flag_list(self, obj: Comment) -> str:
        flags = obj.flags.select_related("reader").order_by("created_at")
        if not flags:
            return "None"
        items = format_html_join(
            "",
            "<li>{} — {}{} ({})</li>",
            (
                (
                    flag.reader.public_name,
                    flag.get_reason_display(),
                    f": {flag.note}" if flag.note else "",
                    flag.get_outcome_display().lower(),
                )
                for flag in flags
            ),
        )
        return format_html("<ul>{}</ul>", items)


def _reason(request) -> str:
    return " ".join(request.POST.get("reason", "").split())


def _messages_of(error) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


@admin.register(ThreadVisit)
class ThreadVisitAdmin(admin.ModelAdmin):
    list_display = ("user", "post", "last_seen_number", "visited_at")
    list_select_related = ("user", "post")
    raw_id_fields = ("user", "post")
    search_fields = ("user__username", "post__title")
    date_hierarchy = "visited_at"
