from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import ApiToken, Membership, User

# The admin login would bypass the lock-out and the second factor; send it to our login page instead.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["centre", "school"]
    fields = ["role", "centre", "school", "is_active"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "display_name", "preferred_language", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")}),)
    filter_horizontal = ("groups", "user_permissions")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "centre", "school", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["centre", "school"]
    list_select_related = ["user", "centre", "school"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "membership", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "membership__user__email"]
    # The digest is all the database knows; tokens are created by their owners, not here.
    readonly_fields = ["membership", "name", "digest", "created_at", "expires_at", "last_used_at"]
    fields = ["membership", "name", "created_at", "expires_at", "revoked_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:  # type: ignore[override]
        return False
