from django.contrib import admin, messages

from annotations.models import (
    Actor,
    ActorAlias,
    Claim,
    ClaimActor,
    ClaimEvent,
    ClaimRelation,
    ClaimSource,
    Review,
)
from claimdesk.errors import DomainError


class AliasInline(admin.TabularInline):
    model = ActorAlias
    fields = ["name"]
    extra = 1


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "wikidata_id"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name", "wikidata_id"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]
    actions = ["merge_into_first"]

    @admin.action(description="Merge the selected actors into the first one (by id)")
    def merge_into_first(self, request, queryset):
        from annotations.services.actors import actor_merge

        actors = list(queryset.order_by("id"))
        if len(actors) < 2:
            self.message_user(request, "Select two actors or more.", messages.WARNING)
            return
        survivor = actors[0]
        for loser in actors[1:]:
            try:
                actor_merge(user=request.user, actor_id=loser.pk, into_id=survivor.pk)
            except DomainError as exc:
                self.message_user(request, f"{loser}: {exc.detail}", messages.ERROR)
                return
        self.message_user(request, f"Merged {len(actors) - 1} actor(s) into {survivor}.")


class ClaimActorInline(admin.TabularInline):
    model = ClaimActor
    autocomplete_fields = ["actor"]
    extra = 0


class ClaimSourceInline(admin.TabularInline):
    model = ClaimSource
    autocomplete_fields = ["source"]
    extra = 0


class ReviewInline(admin.TabularInline):
    model = Review
    fields = ["reviewer", "claim_version", "decision", "reason", "comment", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Claims change through the workflow; the admin shows them and edits links only."""

    list_display = ["id", "statement", "claimant", "status", "anchor_state", "author", "created"]
    list_filter = ["status", "anchor_state", "certainty", "created"]
    search_fields = ["statement", "exact", "claimant__name", "article__title"]
    list_select_related = ["claimant", "author"]
    autocomplete_fields = ["claimant"]
    readonly_fields = [
        "article",
        "revision",
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
        "anchor_state",
        "status",
        "version",
        "author",
        "created",
        "modified",
        "submitted_at",
        "reviewed_at",
    ]
    inlines = [ClaimActorInline, ClaimSourceInline, ReviewInline]

    def has_add_permission(self, request):
        return False


@admin.register(ClaimRelation)
class ClaimRelationAdmin(admin.ModelAdmin):
    list_display = ["from_claim", "kind", "to_claim", "created_by", "created"]
    list_filter = ["kind"]
    raw_id_fields = ["from_claim", "to_claim"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews are decisions of record: view only."""

    list_display = ["claim", "claim_version", "reviewer", "decision", "reason", "created"]
    list_filter = ["decision", "reason", "created"]
    search_fields = ["comment", "claim__statement", "reviewer__username"]
    list_select_related = ["claim", "reviewer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClaimEvent)
class ClaimEventAdmin(admin.ModelAdmin):
    """The audit trail is append-only: no add, change or delete from here."""

    list_display = ["id", "claim_id", "kind", "actor", "from_status", "to_status", "created"]
    list_filter = ["kind", "created"]
    search_fields = ["claim_id", "actor__username"]
    list_select_related = ["actor"]
    readonly_fields = [
        "claim_id",
        "kind",
        "actor",
        "created",
        "from_status",
        "to_status",
        "version",
        "changes",
        "data",
    ]
    exclude = ["claim"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
