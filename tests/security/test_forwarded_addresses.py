"""Rate limits count the address the server trusts: a forged X-Forwarded-For buys no
fresh allowance, and behind configured proxies the proxy's forwarded address counts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.api.throttling import AnonRateThrottle
from annotations.auth import client_address
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
TOKEN_LIMIT = 10  # the token endpoint's default rate, per address and per username


@pytest.fixture(autouse=True)
def fresh_counters(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", roles=["researcher"])


def ask_token(username: str, *, remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().post(
        reverse("v1:auth-token"), {"username": username, "password": "wrong"}, **extra
    )


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.9", None, "203.0.113.9"),
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        (1, "10.0.0.2", None, "10.0.0.2"),
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        # The client wrote the first entry itself; the one proxy appended the second.
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        # Fewer entries than proxies: the leftmost is as far as anyone vouches.
        (3, "10.0.0.3", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", " , ", "10.0.0.2"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **meta)) == expected


def test_a_forged_forwarded_for_does_not_lift_the_token_limit(rita, quiet_request_log):
    answers = [
        ask_token(f"nobody{n}", remote="203.0.113.7", forwarded=f"198.51.100.{n}").status_code
        for n in range(TOKEN_LIMIT + 5)
    ]
    assert answers[:TOKEN_LIMIT] == [400] * TOKEN_LIMIT
    assert set(answers[TOKEN_LIMIT:]) == {429}


def test_behind_a_configured_proxy_each_forwarded_client_has_its_own_limit(
    rita, settings, quiet_request_log
):
    settings.TRUSTED_PROXIES = 1
    for n in range(TOKEN_LIMIT):
        assert (
            ask_token(f"nobody{n}", remote="10.0.0.2", forwarded="198.51.100.1").status_code == 400
        )
    assert ask_token("nobodyelse", remote="10.0.0.2", forwarded="198.51.100.1").status_code == 429
    # Another client behind the same proxy still has its allowance, and prepending a
    # forged address to the header does not help the throttled one.
    assert ask_token("another", remote="10.0.0.2", forwarded="198.51.100.2").status_code == 400
    forged = ask_token("nobodyelse", remote="10.0.0.2", forwarded="6.6.6.6, 198.51.100.1")
    assert forged.status_code == 429


def test_anonymous_api_throttle_keys_on_the_trusted_address(settings):
    throttle = AnonRateThrottle()
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert throttle.get_ident(request) == "203.0.113.7"
    settings.TRUSTED_PROXIES = 1
    assert throttle.get_ident(request) == "1.2.3.4"


def test_the_login_guard_ignores_a_forged_forwarded_for(rita, settings, quiet_request_log):
    settings.LOGIN_FAILURES_PER_USERNAME = 100
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    settings.LOGIN_FAILURE_WINDOW = 600
    for n in range(4):
        client = Client(REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        client.post("/login/", {"username": f"nobody{n}", "password": "wrong"})
    client = Client(REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="198.51.100.99")
    response = client.post("/login/", {"username": "rita", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
