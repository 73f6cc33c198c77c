"""Fixtures of the publishing tests."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.publishing.helpers import newsroom


@pytest.fixture
def room(db):
    return newsroom()


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def as_user():
    def client(user) -> APIClient:
        api = APIClient()
        api.force_login(user)
        return api

    return client
