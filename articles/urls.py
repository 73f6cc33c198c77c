"""Pages of the articles app: importing texts."""

from django.urls import path

from articles import views

urlpatterns = [
    path("import/", views.article_import_view, name="article_import"),
]
