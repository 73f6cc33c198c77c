"""The public pages and feeds, under /fact-checks/."""

from django.urls import path

from publishing import views

urlpatterns = [
    path("<int:claim_id>/", views.review_page, name="public_review"),
    path("desks/<slug:slug>/", views.desk_index, name="public_desk"),
    path("desks/<slug:slug>/feed.jsonld", views.desk_feed_jsonld, name="public_feed_jsonld"),
    path("desks/<slug:slug>/feed.atom", views.desk_feed_atom, name="public_feed_atom"),
]
