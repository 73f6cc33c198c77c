"""Pages of the articles app: importing texts."""

urlpatterns: list = []
