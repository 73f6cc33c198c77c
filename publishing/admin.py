"""Publications are written by the publishing services only; the admin shows them. A
desk's publishing settings are edited here by staff (checked by the model's `clean`)."""

from django.contrib import admin

from claimdesk.service_admin import ViewOnlyAdmin
from publishing.models import DeskPublishing, Publication


@admin.register(Publication)
class PublicationAdmin(ViewOnlyAdmin):
    list_display = ("claim", "project", "state", "published_at", "withdrawn_at")
    list_filter = ("state", "project")
    list_select_related = ("claim", "project")
    raw_id_fields = ("claim",)


@admin.register(DeskPublishing)
class DeskPublishingAdmin(admin.ModelAdmin):
    list_display = ("project", "publisher_name", "url_template")
    list_select_related = ("project",)
