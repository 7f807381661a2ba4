from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator

from comments.models import Comment, CommentRevision, ThreadVisit
from comments.posting import thread_changed


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    can_delete = False
    fields = ("written_at", "replaced_at", "body")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read and inspect comments; moderation actions arrive with the moderation issue."""

    list_display = ("number", "post", "who", "status", "created_at", "excerpt", "in_context")
    list_filter = ("status", "created_at")
    list_select_related = ("post", "author")
    search_fields = ("body", "guest_name", "guest_email", "author__username", "post__title")
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
    )
    fields = (*readonly_fields, "status")
    inlines = (CommentRevisionInline,)

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        thread_changed(obj.post_id)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    @admin.display(description="author")
    def who(self, obj: Comment) -> str:
        return obj.display_name if obj.author_id else f"{obj.guest_name} (guest)"

    @admin.display(description="comment")
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.body).chars(80)

    @admin.display(description="view")
    def in_context(self, obj: Comment) -> str:
        return format_html('<a href="{}">#{}</a>', obj.get_absolute_url(), obj.number)


@admin.register(ThreadVisit)
class ThreadVisitAdmin(admin.ModelAdmin):
    list_display = ("user", "post", "last_seen_number", "visited_at")
    list_select_related = ("user", "post")
    raw_id_fields = ("user", "post")
    search_fields = ("user__username", "post__title")
    date_hierarchy = "visited_at"
