from django.urls import path

from projects import views

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("projects/<slug:slug>/members/", views.member_set, name="project_member_set"),
    path(
        "projects/<slug:slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="project_member_remove",
    ),
    path("projects/<slug:slug>/settings/", views.project_settings, name="project_settings"),
]
