"""Pages of My work."""

from worklist.views import urlpatterns

__all__ = ["urlpatterns"]
