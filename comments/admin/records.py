"""Moderation records in admin: flags, the log (read-only), bans (lifted here) and the
block list (edited here by moderators)."""

from django.contrib import admin
from django.utils.translation import ngettext

from comments.models import Ban, BlockedTerm, Flag, ModerationAction
from comments.moderation import actions as moderation
from comments.moderation.log import what_happened
from comments.moderation.permissions import can_ban
from comments.moderation.screening import block_list_changed


class RecordAdmin(admin.ModelAdmin):
    """Records written only by the moderation functions: read here, never edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("comment", "reader", "reason", "outcome", "created_at")
    list_filter = ("outcome", "reason", "created_at")
    list_select_related = ("comment__post", "reader")
    search_fields = ("note", "reader__username", "comment__post__title")
    date_hierarchy = "created_at"
    raw_id_fields = ("comment", "reader")
    readonly_fields = (
        "comment",
        "reader",
        "reason",
        "note",
        "outcome",
        "created_at",
        "resolved_at",
    )

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(RecordAdmin):
    """The full moderation log (the public page hides shadow-bans and names)."""

    list_display = (
        "created_at",
        "actor",
        "what",
        "reason",
        "status_before",
        "status_after",
        "is_public",
    )
    list_filter = ("action", "is_automatic", "is_public", "created_at")
    list_select_related = ("moderator", "post", "user")
    search_fields = ("reason", "moderator__username", "user__username", "post__title")
    date_hierarchy = "created_at"
    raw_id_fields = ("moderator", "post", "comment", "user")

    @admin.display(description="by")
    def actor(self, obj: ModerationAction) -> str:
        return "automatic" if obj.is_automatic else str(obj.moderator or "–")

    @admin.display(description="what happened", ordering="action")
    def what(self, obj: ModerationAction) -> str:
        return what_happened(obj)


@admin.register(Ban)
class BanAdmin(RecordAdmin):
    """Bans are made from comments (list action or post page); here they are read and lifted."""

    list_display = ("user", "reason", "created_at", "ends_at", "is_shadow", "lifted_at", "in_force")
    list_filter = ("is_shadow", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__display_name", "reason")
    date_hierarchy = "created_at"
    raw_id_fields = ("user", "moderator")
    readonly_fields = ("user", "moderator", "reason", "created_at", "ends_at", "is_shadow")
    actions = ("lift",)

    def get_actions(self, request):
        found = super().get_actions(request)
        if not can_ban(request.user):
            found.pop("lift", None)
        return found

    @admin.display(description="in force", boolean=True)
    def in_force(self, obj: Ban) -> bool:
        return obj.is_in_force

    @admin.action(description="Lift selected bans")
    def lift(self, request, queryset):
        lifted = 0
        for ban in queryset.filter(lifted_at__isnull=True).select_related("user"):
            lifted += moderation.user_unban(user=ban.user, moderator=request.user) is not None
        self.message_user(
            request,
            ngettext("%(count)d ban was lifted.", "%(count)d bans were lifted.", lifted)
            % {"count": lifted},
        )


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    """The block list: comments matching an entry wait for a moderator."""

    list_display = ("value", "kind", "note", "created_by", "created_at")
    list_filter = ("kind",)
    list_select_related = ("created_by",)
    search_fields = ("value", "note")
    date_hierarchy = "created_at"
    fields = ("kind", "value", "note")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        block_list_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        block_list_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        block_list_changed()
