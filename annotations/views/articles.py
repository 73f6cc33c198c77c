"""Pages (filled in by the module's owner)."""

urlpatterns: list = []
