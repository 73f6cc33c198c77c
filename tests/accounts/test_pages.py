"""The API tokens page: make a token (its key shown once), list and revoke; logging
out revokes every token when `API_TOKENS_END_AT_LOGOUT` says so."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import token_create
from tests.accounts.conftest import logged_in, works

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(researcher):
    return logged_in(researcher)


def shown_key(html: str) -> str | None:
    match = re.search(r'id="new-key" value="([^"]+)"', html)
    return match.group(1) if match else None


def test_the_navigation_links_the_page(rita):
    html = rita.get(reverse("article_list")).content.decode()
    assert f'href="{reverse("api_tokens")}"' in html
    assert "API tokens" in html


def test_a_new_token_is_shown_once_and_then_only_listed(rita, researcher):
    url = reverse("api_tokens")
    response = rita.post(url, {"name": "Nightly export", "expires_in_days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = shown_key(response.content.decode())
    assert key and works(key)
    token = ApiToken.objects.get(user=researcher)
    assert token.name == "Nightly export"
    again = rita.get(url).content.decode()
    assert shown_key(again) is None
    assert key not in again and key.split(".", 1)[1] not in again
    assert "Nightly export" in again and token.prefix in again


def test_the_page_lists_only_the_users_tokens(rita, researcher, other_researcher):
    token_create(user=researcher, name="mine")
    token_create(user=other_researcher, name="theirs")
    html = rita.get(reverse("api_tokens")).content.decode()
    assert "mine" in html and "theirs" not in html


def test_a_bad_lifetime_is_refused_and_nothing_is_made(rita):
    response = rita.post(reverse("api_tokens"), {"name": "x", "expires_in_days": "0"})
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert shown_key(response.content.decode()) is None
    assert not ApiToken.objects.exists()


def test_a_tokens_name_is_escaped(rita, researcher):
    token_create(user=researcher, name='<script>alert("x")</script>')
    html = rita.get(reverse("api_tokens")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_revoking_from_the_page(rita, researcher):
    token, key = token_create(user=researcher, name="old laptop")
    response = rita.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("api_tokens")
    assert not works(key)
    page = rita.get(reverse("api_tokens")).content.decode()
    assert "revoked" in page  # the message
    assert f'data-token="{token.pk}"' not in page


def test_someone_elses_token_cannot_be_revoked_from_the_page(rita, other_researcher):
    theirs, key = token_create(user=other_researcher)
    assert rita.post(reverse("api_token_revoke", args=[theirs.pk])).status_code == 404
    assert works(key)


def test_the_page_forms_need_the_csrf_token(researcher):
    token, key = token_create(user=researcher)
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    assert client.post(reverse("api_tokens"), {"name": "forged"}).status_code == 403
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1 and works(key)


def test_the_form_is_labelled_for_keyboard_and_screen_reader_users(rita):
    html = rita.get(reverse("api_tokens")).content.decode()
    for field in ("name", "expires_in_days"):
        assert f'<label for="id_{field}">' in html
    html = rita.post(reverse("api_tokens"), {"name": "a"}).content.decode()
    assert '<label for="new-key">' in html and "autofocus" in html


@pytest.mark.parametrize("ends", [True, False])
def test_logout_revokes_the_tokens_only_when_the_setting_says_so(rita, researcher, settings, ends):
    settings.API_TOKENS_END_AT_LOGOUT = ends
    _token, key = token_create(user=researcher)
    response = rita.post(reverse("logout"))
    assert response.status_code == 302
    assert works(key) is not ends


def test_the_default_is_that_logout_keeps_the_tokens():
    from config import settings as project_settings

    assert project_settings.API_TOKENS_END_AT_LOGOUT is False
