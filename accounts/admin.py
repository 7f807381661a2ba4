from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.html import format_html

from accounts.models import FormerName, GuestName, User


def masked_email(address: str) -> str:
    """`r…@e….org`: enough to tell two addresses apart, not enough to write to one."""
    local, _, domain = (address or "").rpartition("@")
    if not local:
        return "…" if address else ""
    name, _, suffix = domain.rpartition(".")
    hidden_domain = f"{name[:1]}….{suffix}" if name else f"{suffix[:1]}…"
    return f"{local[:1]}…@{hidden_domain}"


class EmailsForSuperusersOnly:
    """Admin mixin: superusers see and search `email`; everyone else sees it masked."""

    def get_list_display(self, request):
        fields = super().get_list_display(request)
        return fields if request.user.is_superuser else _masked_fields(fields)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if request.user.is_superuser:
            return fields
        return tuple(field for field in fields if "email" not in field)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (title, {**options, "fields": _masked_fields(options["fields"])})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser or obj is None:
            return fields
        return (*fields, "email_masked")

    @admin.display(description="email address")
    def email_masked(self, obj) -> str:
        return masked_email(obj.email)


def _masked_fields(fields):
    # Without repeats: a ModelAdmin without fieldsets already lists its read-only fields.
    return tuple(dict.fromkeys("email_masked" if field == "email" else field for field in fields))


class FormerNameInline(admin.TabularInline):
    """Names this account used before: moderators see who was whom."""

    model = FormerName
    extra = 0
    can_delete = False
    fields = ("name", "replaced_at", "held_until")
    readonly_fields = fields
    verbose_name_plural = "name history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(EmailsForSuperusersOnly, DjangoUserAdmin):
    """Accounts. Only superusers see or search email addresses; moderators see them masked."""

    list_display = (
        "username",
        "display_name",
        "email",
        "email_confirmed",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "display_name", "email", "former_names__name")
    date_hierarchy = "date_joined"
    readonly_fields = ("name_key", "profile_link")
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        (
            "Profile",
            {
                "fields": (
                    "display_name",
                    "name_key",
                    "profile_link",
                    "first_name",
                    "last_name",
                    "email",
                    "email_verified_at",
                    "bio",
                )
            },
        ),
        *DjangoUserAdmin.fieldsets[2:],
    )
    inlines = (FormerNameInline,)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Searching through former names joins a many-valued relation.
        return queryset, True if search_term else may_have_duplicates

    @admin.display(description="email confirmed", boolean=True)
    def email_confirmed(self, obj: User) -> bool:
        return obj.has_confirmed_email

    @admin.display(description="profile")
    def profile_link(self, obj: User) -> str:
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.profile_url, obj.profile_url)


@admin.register(FormerName)
class FormerNameAdmin(admin.ModelAdmin):
    """Every name change, newest first; a name stays reserved until `held until`."""

    list_display = ("name", "user", "replaced_at", "held_until")
    list_select_related = ("user",)
    search_fields = ("name", "name_key", "user__username", "user__display_name")
    date_hierarchy = "replaced_at"
    raw_id_fields = ("user",)
    readonly_fields = ("user", "name", "name_key", "replaced_at")


@admin.register(GuestName)
class GuestNameAdmin(EmailsForSuperusersOnly, admin.ModelAdmin):
    """Guest names kept for an email address (the address masked for all but superusers)."""

    list_display = ("name", "email", "confirmed_at", "created_at")
    list_filter = ("confirmed_at",)
    search_fields = ("name", "name_key", "email")
    date_hierarchy = "created_at"
    readonly_fields = ("name_key", "created_at")
