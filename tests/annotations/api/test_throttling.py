"""API requests are counted per user in fixed windows, one cache counter each."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from annotations.api.throttling import UserRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": None})
    clock = {"now": 60 * 16_000 + 20.0}  # 20 s into a window of 60
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: clock["now"])
    return clock


def test_the_request_past_the_rate_is_refused_until_the_window_ends(
    desk, as_user, researcher, three_a_minute
):
    client = as_user(researcher)
    for _ in range(3):
        assert client.get(reverse("v1:claim-list")).status_code == 200
    refused = client.get(reverse("v1:claim-list"))
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) == 40

    three_a_minute["now"] += 40  # the next window
    assert client.get(reverse("v1:claim-list")).status_code == 200


def test_the_counter_is_one_number_whatever_the_rate(desk, as_user, researcher, three_a_minute):
    client = as_user(researcher)
    for _ in range(2):
        client.get(reverse("v1:claim-list"))
    window = int(three_a_minute["now"] // 60)
    assert cache.get(f"throttle_user_{researcher.pk}_{window}") == 2


def test_each_user_has_a_counter_of_their_own(desk, as_user, researcher, reviewer, three_a_minute):
    for _ in range(3):
        as_user(researcher).get(reverse("v1:claim-list"))
    assert as_user(researcher).get(reverse("v1:claim-list")).status_code == 429
    assert as_user(reviewer).get(reverse("v1:claim-list")).status_code == 200


def test_a_counter_the_cache_could_not_keep_is_a_503_that_saved_nothing(
    desk, as_user, researcher, three_a_minute, monkeypatch
):
    # The database cache answers a lost connection to `add` with False, and the counter
    # is then neither there nor begun: the answer is the lost connection's 503.
    monkeypatch.setattr(UserRateThrottle, "cache", _Forgetful())
    answer = as_user(researcher).get(reverse("v1:claim-list"))
    assert answer.status_code == 503
    assert answer.json()["code"] == "service_unavailable"


class _Forgetful:
    """A cache that never holds the counter and cannot add it."""

    def incr(self, key, delta=1):
        raise ValueError(f"Key '{key}' not found")

    def add(self, key, value, timeout=None):
        return False
