"""Top-level URLs: pages of the apps, the API, the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("annotations.api.urls")),
    path("fact-checks/", include("publishing.urls")),
    path("", include("accounts.urls")),
    path("", include("projects.urls")),
    path("", include("articles.urls")),
    path("", include("annotations.urls")),
    path("", include("publishing.editorial")),
    path("", include("search.urls")),
    path("", include("worklist.urls")),
    path("", include("suggestions.views")),
]

# Unhandled errors: JSON under /api/, a plain page elsewhere, 503 when the database is gone.
handler500 = "config.security.server_error"
