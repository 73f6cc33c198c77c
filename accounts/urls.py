"""Pages of the accounts app."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
