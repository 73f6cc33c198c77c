"""The admin writes through the project services, so that it is audited and keeps the
same rules (a manager's roles, the last manager) as the pages and the API."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from claimdesk.errors import DomainError, NotAllowed
from projects import services
from projects.models import Membership, Project, ProjectEvent
from projects.roles import ROLE_FIELDS


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", *ROLE_FIELDS.values()]
    raw_id_fields = ["user"]
    extra = 1


class ProjectEventInline(admin.TabularInline):
    model = ProjectEvent
    fields = ["created", "kind", "actor", "subject", "before", "after"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "required_approvals", "created"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "description", "guidelines", "required_approvals"]
    inlines = [MembershipInline, ProjectEventInline]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            if change:
                services.project_update(
                    user=request.user,
                    project=obj,
                    **{field: form.cleaned_data[field] for field in services.SETTINGS_FIELDS},
                )
            else:
                created = services.project_create(
                    user=request.user,
                    slug=obj.slug,
                    **{field: form.cleaned_data[field] for field in services.SETTINGS_FIELDS},
                )
                obj.pk, obj.created, obj.modified = created.pk, created.created, created.modified
        except NotAllowed as exc:
            raise PermissionDenied(exc.detail) from exc

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        project = form.instance
        for inline in formset.forms:
            if not inline.has_changed() and not formset._should_delete_form(inline):
                continue
            membership = inline.instance
            try:
                if formset._should_delete_form(inline):
                    if membership.pk is not None:
                        services.membership_remove(user=request.user, membership=membership)
                    continue
                roles = [role for role, field in ROLE_FIELDS.items() if inline.cleaned_data[field]]
                services.membership_set(
                    user=request.user,
                    project=project,
                    username=inline.cleaned_data["user"].get_username(),
                    roles=roles,
                )
            except DomainError as exc:
                who = inline.cleaned_data.get("user") or membership.user
                self.message_user(request, f"{who}: {exc.detail}", messages.ERROR)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Read only: members change on their project's admin page, through the services."""

    list_display = ["project", "user", *ROLE_FIELDS.values()]
    list_filter = ["project", *ROLE_FIELDS.values()]
    search_fields = ["user__username", "project__name"]
    list_select_related = ["project", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
