"""Token and session authentication, CSRF on session writes, throttling."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def token_for(client: APIClient, username: str, password: str = PASSWORD, **extra):
    return client.post(
        reverse("v1:auth-token"), {"username": username, "password": password}, **extra
    )


def test_token_for_good_credentials_opens_the_api(researcher, desk):
    response = token_for(APIClient(), "rita")
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(reverse("v1:claim-list")).status_code == 200
    # Asking again gives a new token; both open the API.
    second = token_for(APIClient(), "rita").json()["token"]
    assert second != token
    for key in (token, second):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get(reverse("v1:claim-list")).status_code == 200


def test_token_writes_need_no_csrf_token(researcher, desk):
    token = token_for(APIClient(), "rita").json()["token"]
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    claim = desk["draft"]
    response = client.post(reverse("v1:claim-submit", args=[claim.pk]), {"version": claim.version})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "rita", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "rita"},
    ],
)
def test_bad_credentials_get_no_token(researcher, payload):
    response = APIClient().post(reverse("v1:auth-token"), payload)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_inactive_user_gets_no_token(db):
    user = UserFactory(username="gone", roles=["researcher"])
    user.is_active = False
    user.save()
    assert token_for(APIClient(), "gone").status_code == 400


def test_wrong_token_is_refused(desk):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get(reverse("v1:claim-list"))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_requests_are_throttled_per_address(researcher, settings):
    client = APIClient()
    for _ in range(10):
        token_for(client, "rita", "wrong", REMOTE_ADDR="203.0.113.7")
    response = token_for(client, "oscar", "wrong", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response


def test_token_requests_are_throttled_per_username(researcher):
    client = APIClient()
    for index in range(10):
        token_for(client, "rita", "wrong", REMOTE_ADDR=f"198.51.100.{index}")
    response = token_for(client, "RITA", PASSWORD, REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 429


def test_throttle_counters_live_in_the_shared_cache(researcher):
    from django.core.cache import cache

    token_for(APIClient(), "rita", "wrong", REMOTE_ADDR="192.0.2.1")
    assert cache.get("throttle_token_192.0.2.1")


# --------------------------------------------------------------------------- session + CSRF


@pytest.fixture
def session_client(researcher, desk):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(researcher)
    return client


def test_session_read_needs_no_csrf_token(session_client):
    assert session_client.get(reverse("v1:claim-list")).status_code == 200


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("post", "claim-submit"),
        ("patch", "claim-detail"),
        ("delete", "claim-detail"),
        ("post", "claim-list"),
        ("post", "source-list"),
    ],
)
def test_session_writes_without_csrf_token_are_refused(session_client, desk, method, name):
    args = [] if name.endswith("list") else [desk.claims["draft"].pk]
    response = getattr(session_client, method)(reverse(f"v1:{name}", args=args), {"version": 1})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert desk["draft"].status == "draft"


def test_session_write_with_csrf_token_goes_through(session_client, desk):
    secret = "k" * 32  # what a page would have set in the csrftoken cookie
    session_client.cookies["csrftoken"] = secret
    claim = desk["draft"]
    response = session_client.post(
        reverse("v1:claim-submit", args=[claim.pk]),
        {"version": claim.version},
        HTTP_X_CSRFTOKEN=secret,
    )
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_api_requests_are_throttled_per_user(desk, as_user, researcher, reviewer, monkeypatch):
    from annotations.api.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    client = as_user(researcher)
    for _ in range(3):
        assert client.get(reverse("v1:claim-list")).status_code == 200
    response = client.get(reverse("v1:claim-list"))
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    # Someone else still gets through: the counter is per user.
    assert as_user(reviewer).get(reverse("v1:claim-list")).status_code == 200
