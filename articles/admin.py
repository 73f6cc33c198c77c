from django.contrib import admin
from django.db import models

from articles.models import Article, ArticleRevision, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "publisher", "url"]
    list_filter = ["kind"]
    search_fields = ["name", "publisher", "url"]


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

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.claims.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    """Revisions are immutable: view only."""

    list_display = ["article", "number", "author", "created", "note"]
    list_filter = ["created"]
    search_fields = ["article__title", "note"]
    list_select_related = ["article", "author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
