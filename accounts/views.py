"""The API tokens page, and logging out (which may end the user's tokens too)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import NewTokenForm
from accounts.selectors import tokens_of
from accounts.services import token_create, token_revoke, tokens_revoke_all


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens and make a new one. A new key is shown in the answer to
    the POST that made it, never stored for a later page, and that answer is not
    cached; reloading the page does not show it again."""
    new_key = None
    form = NewTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        form = NewTokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": tokens_of(request.user),
            "default_days": settings.API_TOKEN_DAYS,
        },
        status=400 if form.errors else 200,
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(tokens_of(request.user), pk=pk)
    token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("api_tokens")


class LogoutView(auth_views.LogoutView):
    """Django's logout; with `API_TOKENS_END_AT_LOGOUT` on, it also revokes every API
    token of the user."""

    def post(self, request, *args, **kwargs):
        if settings.API_TOKENS_END_AT_LOGOUT and request.user.is_authenticated:
            tokens_revoke_all(user=request.user)
        return super().post(request, *args, **kwargs)
