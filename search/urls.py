"""Pages of the search app."""

from search.views import urlpatterns

__all__ = ["urlpatterns"]
