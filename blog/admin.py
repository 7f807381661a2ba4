from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from blog.forms import PostAdminForm
from blog.models import Category, Post, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "post_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(post_count=Count("posts"))

    @admin.display(description="posts", ordering="post_count")
    def post_count(self, obj) -> int:
        return obj.post_count


@admin.register(Tag)
class TagAdmin(CategoryAdmin):
    pass


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    list_display = ("title", "author", "status_label", "published_at", "category", "view_link")
    list_filter = ("status", "published_at", "category", "tags")
    list_select_related = ("author", "category")
    search_fields = ("title", "body", "slug")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("category", "tags")
    readonly_fields = ("updated_at", "body_format")
    actions = ("publish_now", "unpublish")
    fieldsets = (
        (None, {"fields": ("title", "slug", "body", "body_format", "excerpt")}),
        ("Cover", {"fields": ("cover_image", "cover_image_alt")}),
        ("Publishing", {"fields": ("status", "published_at", "allow_comments", "updated_at")}),
        ("Classification", {"fields": ("category", "tags")}),
    )

    def get_queryset(self, request):
        """Authors list only their own posts; view-only roles (moderators) read them all."""
        posts = Post.objects.select_related("author", "category")
        if request.user.has_perm("blog.change_post"):
            return posts.editable_by(request.user)
        return posts

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: Post) -> str:
        if obj.is_scheduled:
            return f"Scheduled for {timezone.localtime(obj.published_at):%Y-%m-%d %H:%M}"
        return obj.get_status_display()

    @admin.display(description="view")
    def view_link(self, obj: Post) -> str:
        if obj.is_live:
            return format_html('<a href="{}">View on site</a>', obj.get_absolute_url())
        return format_html(
            '<a href="{}">Preview</a>', reverse("blog:post-preview", kwargs={"pk": obj.pk})
        )

    @admin.action(description="Publish selected posts now", permissions=["change"])
    def publish_now(self, request, queryset):
        # Live posts keep their date (and so their address); drafts and scheduled go out now.
        not_live = Q(status=Post.Status.DRAFT) | Q(published_at__gt=timezone.now())
        updated = queryset.filter(not_live).update(
            status=Post.Status.PUBLISHED, published_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%d post published.", "%d posts published.", updated) % updated,
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected posts (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        updated = queryset.update(status=Post.Status.DRAFT)
        self.message_user(
            request,
            ngettext("%d post unpublished.", "%d posts unpublished.", updated) % updated,
            messages.SUCCESS,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    def view_on_site(self, obj: Post):
        return obj.get_absolute_url() if obj.is_live else None
