"""`GET /api/v1/` lists every endpoint; the docs page keeps to the CSP and leads back."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_endpoint():
    api = APIClient()
    assert api.get("/api/v1/").status_code == 401
    api.force_authenticate(UserFactory(username="someone"))
    answer = api.get("/api/v1/")
    assert answer.status_code == 200
    endpoints = answer.json()["endpoints"]
    assert endpoints["claim-list"] == "http://testserver/api/v1/claims/"
    assert endpoints["claim-detail"] == "http://testserver/api/v1/claims/{pk}/"
    assert "export-claims" in endpoints and "api-root" not in endpoints


def test_the_docs_page_has_no_inline_style_and_a_way_back(client):
    client.force_login(UserFactory(username="someone"))
    page = client.get(reverse("api-docs")).content.decode()
    assert "<style" not in page and "<script>" not in page
    assert 'data-testid="back-to-app"' in page
