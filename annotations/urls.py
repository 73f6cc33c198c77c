"""Pages of the annotations app; each page module lists its own URLs."""

from django.urls import path

from annotations import auth
from annotations.views import (
    articles,
    claim_index,
    claims,
    export_page,
    graph,
    registry,
    relations,
    reviews,
    revisions,
)

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    *articles.urlpatterns,
    *relations.urlpatterns,
    *graph.urlpatterns,
    *claim_index.urlpatterns,
    *claims.urlpatterns,
    *export_page.urlpatterns,
    *reviews.urlpatterns,
    *registry.urlpatterns,
    *revisions.urlpatterns,
]
