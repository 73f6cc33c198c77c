"""Fixtures of the token tests: a clean throttle cache, and a way to call the API with a
key."""

from __future__ import annotations

import pytest
from django.core.cache import cache
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
