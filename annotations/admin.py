from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.urls import reverse

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
from annotations.services.actors import actor_create, actor_merge, actor_update
from annotations.services.claims import (
    ActorLink,
    SourceLink,
    can_delete_claim,
    can_edit_claim,
    claim_delete,
    claim_update,
    span_from_offsets,
)
from claimdesk.errors import DomainError
from claimdesk.service_admin import (
    PartInline,
    ServiceAdmin,
    ServiceModelForm,
    ViewOnlyAdmin,
    formset_for,
    kept_rows,
)
from search.selectors import matching_claims


class AliasInline(PartInline):
    model = ActorAlias
    fields = ["name"]
    extra = 1


class ActorAdminForm(ServiceModelForm):
    # As long as on the actor page: the service takes the entity's address too.
    wikidata_id = forms.CharField(
        required=False, max_length=80, label="Wikidata id", help_text="Q followed by digits."
    )


@admin.register(Actor)
class ActorAdmin(ServiceAdmin):
    """Actors and their aliases are saved by `actor_create`/`actor_update`, as on the
    registry pages: the same cleaning, Wikidata check and mention-index refresh."""

    form = ActorAdminForm
    list_display = ["name", "kind", "parent", "wikidata_id"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name", "wikidata_id"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]
    actions = ["merge_into_first"]

    def save_service(self, request, form, formsets, change):
        data = form.cleaned_data
        fields = {key: data[key] for key in ("name", "kind", "description", "wikidata_id")}
        fields["parent_id"] = data["parent"].pk if data["parent"] is not None else None
        aliases = kept_rows(formset_for(formsets, ActorAlias))
        if aliases is not None:
            fields["aliases"] = [row["name"] for row in aliases]
        if change:
            return actor_update(user=request.user, actor_id=form.instance.pk, **fields)
        return actor_create(user=request.user, **fields)

    @admin.action(description="Merge the selected actors into the first one (by id)")
    def merge_into_first(self, request, queryset):
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


class ClaimActorInline(PartInline):
    model = ClaimActor
    fields = ["actor", "role"]
    autocomplete_fields = ["actor"]


class ClaimSourceInline(PartInline):
    model = ClaimSource
    fields = ["source", "locator", "note"]
    autocomplete_fields = ["source"]


class ReviewInline(admin.TabularInline):
    model = Review
    fields = ["reviewer", "claim_version", "decision", "reason", "comment", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _actor_link(row: dict) -> ActorLink:
    return ActorLink(actor_id=row["actor"].pk, role=row["role"])


def _source_link(row: dict) -> SourceLink:
    return SourceLink(source_id=row["source"].pk, locator=row["locator"], note=row["note"])


class ClaimAdminForm(ServiceModelForm):
    # The version the form was loaded at: an edit made meanwhile is not overwritten.
    loaded_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version


@admin.register(Claim)
class ClaimAdmin(ServiceAdmin):
    """An admin edit of a claim is `claim_update`, its deletion `claim_delete`: the
    author edits and deletes, as on the pages, with a new version, an audit event and,
    for an approved claim, a new review. Anyone else sees the claim read-only."""

    form = ClaimAdminForm
    list_display = ["id", "statement", "claimant", "status", "anchor_state", "author", "created"]
    list_filter = ["status", "anchor_state", "certainty", "created"]
    search_fields = ["statement", "exact", "claimant__name", "article__title"]

    def get_search_results(self, request, queryset, search_term):
        """The admin's search is the desk's: the full-text search of `q` (statement,
        quote, the notes the user may read, the claimant and the actors by name and
        alias), read through its indexes, not a scan of every claim for each word."""
        if not search_term.strip():
            return queryset, False
        return matching_claims(queryset, search_term, note_reader=request.user), False

    list_select_related = ["claimant", "author"]
    autocomplete_fields = ["claimant"]
    readonly_fields = [
        "article",
        "revision",
        *Claim.ANCHOR_FIELDS,
        # The words of the cue and source mention are read from the text at the offsets.
        "cue_exact",
        "source_mention_exact",
        "status",
        "version",
        "author",
        *Claim.TIMESTAMP_FIELDS,
    ]
    inlines = [ClaimActorInline, ClaimSourceInline, ReviewInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_claim(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_delete_claim(request.user, obj))

    def get_actions(self, request):
        # Deleting in bulk would skip the service's rule and its audit event.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_service(self, request, form, formsets, change):
        data = form.cleaned_data
        actors = kept_rows(formset_for(formsets, ClaimActor))
        sources = kept_rows(formset_for(formsets, ClaimSource))
        return claim_update(
            user=request.user,
            claim_id=form.instance.pk,
            version=data["loaded_version"],
            statement=data["statement"],
            claimant_id=data["claimant"].pk,
            certainty=data["certainty"],
            note=data["note"],
            actors=None if actors is None else [_actor_link(row) for row in actors],
            sources=None if sources is None else [_source_link(row) for row in sources],
            **{
                name: span_from_offsets(
                    name=name, start=data.get(f"{name}_start"), end=data.get(f"{name}_end")
                )
                for name in Claim.MARKED_SPANS
            },
        )

    def get_deleted_objects(self, objs, request):
        # Whether a claim may go is the service's rule; its links and reviews go with it.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        claim_delete(user=request.user, claim_id=obj.pk)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            # Changed since the page was loaded (submitted, say): nothing was deleted.
            self.message_user(request, exc.detail, messages.ERROR)
            return redirect(
                reverse(
                    "admin:annotations_claim_change",
                    args=[quote(object_id)],
                    current_app=self.admin_site.name,
                )
            )


@admin.register(ClaimRelation)
class ClaimRelationAdmin(ViewOnlyAdmin):
    """View only. Relations are written by `annotations.services.relations` (from the
    claim form, the claim page and the API), which checks the rules and audits them; a
    relation written here would change what a claim says with no event."""

    list_display = ["from_claim", "kind", "to_claim", "created_by", "created"]
    list_filter = ["kind"]
    raw_id_fields = ["from_claim", "to_claim"]


@admin.register(Review)
class ReviewAdmin(ViewOnlyAdmin):
    """Reviews are decisions of record: view only."""

    list_display = ["claim", "claim_version", "reviewer", "decision", "reason", "created"]
    list_filter = ["decision", "reason", "created"]
    search_fields = ["comment", "claim__statement", "reviewer__username"]
    list_select_related = ["claim", "reviewer"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(ViewOnlyAdmin):
    """The audit trail is append-only: no add, change or delete from here."""

    list_display = ["id", "claim_id", "kind", "actor", "from_status", "to_status", "created"]
    list_filter = ["kind", "created"]
    search_fields = ["claim_id", "actor__username"]
    list_select_related = ["actor"]
    readonly_fields = list(ClaimEvent.RECORDED_FIELDS)
    exclude = ["claim"]
