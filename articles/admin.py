from django import forms
from django.contrib import admin
from django.db import models

from articles.models import Article, ArticleRevision, Source
from articles.sources import source_create, source_update
from claimdesk.service_admin import ServiceAdmin, ServiceModelForm, ViewOnlyAdmin

SOURCE_FIELDS = ("name", "kind", "url", "publisher", "notes")


class SourceAdminForm(ServiceModelForm):
    # Any address the service can normalise (no scheme, tracking parameters): it decides.
    url = forms.CharField(required=False, max_length=1000, label="URL", widget=forms.URLInput)


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    """Sources are saved by `source_create`/`source_update`, as on the registry pages: the
    URL normalised, a URL another source has refused on the form."""

    form = SourceAdminForm
    list_display = ["name", "kind", "publisher", "url"]
    list_filter = ["kind"]
    search_fields = ["name", "publisher", "url"]

    def save_service(self, request, form, formsets, change):
        fields = {key: form.cleaned_data[key] for key in SOURCE_FIELDS}
        if change:
            return source_update(user=request.user, source_id=form.instance.pk, **fields)
        return source_create(user=request.user, **fields)


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "created", "author", "note", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Title, byline, address, outlet, date and language are edited here; no service
    owns them yet, and they carry no version or audit trail to keep in step. Articles
    come in through `article_create` (import page, API, command), which writes revision
    1 and refuses duplicates, so the admin adds none."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "outlet", "published", "language", "created"]
    list_filter = ["outlet", "language", "published"]
    search_fields = ["title", "byline", "url"]
    date_hierarchy = "created"
    list_select_related = ["outlet"]
    autocomplete_fields = ["outlet"]
    # The text changes only through a revision (which re-anchors claims): read-only here.
    readonly_fields = ["text", "raw", "text_sha256", "created_by", "created", "modified"]
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.claims.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ViewOnlyAdmin):
    """Revisions are immutable: view only."""

    list_display = ["article", "number", "author", "created", "note"]
    list_filter = ["created"]
    search_fields = ["article__title", "note"]
    list_select_related = ["article", "author"]
