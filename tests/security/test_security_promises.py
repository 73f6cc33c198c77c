"""Promises of SECURITY.md that no other test file holds: the shipped defaults it quotes,
what a form or a query string can carry, the answer to a write the server cannot follow,
an edit sent twice, and a password re-hashed at login."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import token_create
from annotations.models import Claim
from annotations.services import claims as claim_services
from articles.models import Source
from tests.factories import UserFactory, make_claim
from tests.security.world import PASSWORD

REPO = Path(__file__).resolve().parents[2]

# The numbers SECURITY.md quotes, as the settings ship them (no environment overrides).
DOCUMENTED_DEFAULTS = {
    "LOGIN_FAILURES_PER_USERNAME": 5,
    "LOGIN_FAILURES_PER_ADDRESS": 20,
    "LOGIN_FAILURE_WINDOW": 900,
    "API_TOKEN_DAYS": 90,
    "API_TOKENS_END_AT_LOGOUT": False,
    "TRUSTED_PROXIES": 0,
    "DATA_UPLOAD_MAX_MEMORY_SIZE": 5 * 1024 * 1024,
    "MAX_UPLOAD_SIZE": 10 * 1024 * 1024,
}


def test_the_documented_defaults_are_the_shipped_ones():
    env = {k: v for k, v in os.environ.items() if k not in DOCUMENTED_DEFAULTS}
    names = json.dumps(sorted(DOCUMENTED_DEFAULTS))
    script = (
        "import json, config.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == DOCUMENTED_DEFAULTS


@pytest.mark.django_db
def test_a_form_or_a_query_string_cannot_carry_a_lone_surrogate(editor):
    """Its UTF-8-like bytes (ED A0 80) are not UTF-8: they arrive as U+FFFD, never as
    U+D800, so nothing with a surrogate is stored and nothing answers 500."""
    page = Client()
    page.force_login(editor)
    response = page.post(
        reverse("source_create"),
        b"name=Daily%ED%A0%80News&kind=outlet",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302), response.status_code
    source = Source.objects.get(name__startswith="Daily")
    assert "\ufffd" in source.name
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in source.name)
    api = APIClient()
    api.force_authenticate(editor)
    assert api.get(reverse("v1:actor-list") + "?q=Daily%ED%A0%80").status_code == 200


def _lose_the_database(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db(transaction=True)
def test_a_write_the_server_cannot_follow_never_says_nothing_was_saved(quiet_request_log):
    """A claim edit does not follow its commit: a lost database answers 503
    `service_unavailable` saying what was sent may or may not have been saved."""
    author = UserFactory(username="rita", roles=["researcher"])
    claim = make_claim(author=author)
    client = APIClient()
    client.force_authenticate(author)
    with mock.patch.object(claim_services, "_replace_links", side_effect=_lose_the_database):
        response = client.patch(
            reverse("v1:claim-detail", args=[claim.pk]),
            {"version": claim.version, "statement": "Edited while the database went away."},
            format="json",
        )
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert "may or may not have been saved" in body["detail"]
    assert "nothing was saved" not in body["detail"]


@pytest.mark.django_db
def test_an_edit_sent_twice_is_refused_as_stale_rather_than_applied_twice(researcher):
    claim = make_claim(author=researcher)
    client = APIClient()
    client.force_authenticate(researcher)
    edit = {"version": claim.version, "statement": "Sent twice."}
    url = reverse("v1:claim-detail", args=[claim.pk])
    first = client.patch(url, edit, format="json")
    again = client.patch(url, edit, format="json")
    assert first.status_code == 200, first.json()
    assert again.status_code == 409
    assert again.json()["code"] == "stale_version"
    claim.refresh_from_db()
    assert claim.version == first.json()["version"]
    assert Claim.objects.filter(pk=claim.pk).count() == 1


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """A stronger hasher than the suite's MD5, cheap enough for a test."""

    iterations = 1_000


@pytest.mark.django_db
def test_a_password_rehashed_at_login_revokes_the_users_tokens(settings, researcher):
    """Strengthened hashing settings re-hash the password at the next successful login:
    the hash changes, so the user's tokens are revoked as by a password change."""
    cache.clear()
    _token, key = token_create(user=researcher)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("v1:claim-list")).status_code == 200
    settings.PASSWORD_HASHERS = [
        f"{__name__}.FastPBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = researcher.password
    response = Client().post(reverse("login"), {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302
    researcher.refresh_from_db()
    assert researcher.password != old_hash
    assert researcher.password.startswith("pbkdf2_sha256$")
    refused = api.get(reverse("v1:claim-list"))
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_revoked"
    cache.clear()
