"""Fixtures of the token tests: a clean throttle cache, and clients with a key or a
session."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture(autouse=True)
def empty_cache():
    """The token endpoint's throttle counts in the shared cache: start from zero."""
    cache.clear()
    yield
    cache.clear()


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key: str) -> bool:
    """Whether the key opens the API."""
    return with_key(key).get(reverse("v1:claim-list")).status_code == 200


def logged_in(user) -> Client:
    """A page client with a session of `user` (forms posted as forms, not JSON)."""
    client = Client()
    client.force_login(user)
    return client
