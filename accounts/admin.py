"""The admin sees and revokes API tokens but can neither read a key nor make one, so
a superuser cannot act through the API in someone else's name. Deactivating a user in
the admin revokes their tokens."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts.models import ApiToken
from accounts.services import token_revoke, tokens_revoke_all


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created", "last_used", "expires", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    # The digest and the password fingerprint are left out: neither opens anything, but
    # nothing about a key is anyone's business but its holder's.
    fields = ("name", "user", "prefix", "created", "last_used", "expires", "revoked")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoked, not deleted: a revoked key is then answered as revoked, not unknown.
        return False

    @admin.action(description="Revoke selected tokens", permissions=["view"])
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            token_revoke(token=token)
        self.message_user(request, f"{len(queryset)} token(s) revoked.", messages.SUCCESS)


User = get_user_model()


class AccountUserAdmin(UserAdmin):
    """Django's user admin; unticking *active* also revokes every API token of the user,
    so that ticking it again later does not bring them back."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            tokens_revoke_all(user=obj)


admin.site.unregister(User)
admin.site.register(User, AccountUserAdmin)
