"""Guessing passwords is slow: failed logins are throttled per username and per address,
and weak passwords are refused."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from annotations import auth
from tests.factories import UserFactory
from tests.security.world import PASSWORD

LOGIN = "/login/"


@pytest.fixture(autouse=True)
def limits(settings, db):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    settings.LOGIN_FAILURE_WINDOW = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", roles=["researcher"])


def attempt(username, password, address="10.0.0.1", client=None):
    client = client or Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_our_throttled_view():
    assert reverse("login") == LOGIN
    assert settings.AUTHENTICATION_BACKENDS == ["annotations.auth.ThrottledModelBackend"]


def test_a_wrong_password_is_an_ordinary_form_error(rita, quiet_request_log):
    _, response = attempt("rita", "wrong")
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_after_too_many_failures_for_a_username_even_the_right_password_is_refused(
    rita, quiet_request_log
):
    for _ in range(3):
        attempt("rita", "wrong", address="10.0.0.1")
    # From elsewhere, with the right password: the username is what is throttled.
    client, response = attempt("rita", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Too many failed attempts" in response.content
    assert not logged_in(client)


def test_a_throttled_attempt_does_not_check_the_password(rita, quiet_request_log):
    for _ in range(3):
        attempt("rita", "wrong")
    User = get_user_model()
    with mock.patch.object(User, "check_password", autospec=True) as check:
        _, response = attempt("rita", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429
    check.assert_not_called()


def test_the_username_throttle_ignores_case(rita, quiet_request_log):
    for name in ("rita", "RITA", "Rita"):
        attempt(name, "wrong")
    _, response = attempt("rita", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429


def test_after_too_many_failures_from_an_address_every_username_is_refused_there(
    rita, quiet_request_log
):
    for n in range(6):
        attempt(f"nobody{n}", "wrong", address="10.0.0.7")
    client, response = attempt("rita", PASSWORD, address="10.0.0.7")
    assert response.status_code == 429
    assert not logged_in(client)
    client, response = attempt("rita", PASSWORD, address="10.0.0.8")
    assert response.status_code == 302
    assert logged_in(client)


def test_the_throttle_lifts_when_the_window_is_over(rita, quiet_request_log):
    for _ in range(3):
        attempt("rita", "wrong")
    later = auth.time.time() + 601
    with mock.patch.object(auth.time, "time", return_value=later):
        client, response = attempt("rita", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_username_count(rita, quiet_request_log):
    attempt("rita", "wrong")
    attempt("rita", "wrong")
    _, response = attempt("rita", PASSWORD)
    assert response.status_code == 302
    attempt("rita", "wrong")
    attempt("rita", "wrong")
    _, response = attempt("rita", PASSWORD)
    assert response.status_code == 302


def test_the_api_token_endpoint_shares_the_throttle(rita, quiet_request_log):
    for _ in range(3):
        attempt("rita", "wrong")
    client = APIClient(REMOTE_ADDR="10.9.9.9")
    response = client.post(
        reverse("v1:auth-token"), {"username": "rita", "password": PASSWORD}, format="json"
    )
    assert response.status_code in (400, 429)
    assert "token" not in response.json()


def test_api_token_failures_count_towards_the_throttle(rita, quiet_request_log):
    client = APIClient(REMOTE_ADDR="10.0.0.3")
    for _ in range(3):
        client.post(reverse("v1:auth-token"), {"username": "rita", "password": "x"}, format="json")
    _, response = attempt("rita", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429


def test_the_admin_login_shares_the_throttle(rita, quiet_request_log):
    rita.is_staff = True
    rita.save()
    for _ in range(3):
        attempt("rita", "wrong")
    client = Client(REMOTE_ADDR="10.9.9.9")
    client.post("/admin/login/", {"username": "rita", "password": PASSWORD})
    assert not logged_in(client)


def test_admin_login_failures_count_towards_the_throttle(rita, quiet_request_log):
    rita.is_staff = True
    rita.save()
    admin = Client(REMOTE_ADDR="10.0.0.4")
    for _ in range(3):
        admin.post("/admin/login/", {"username": "rita", "password": "wrong"})
    client, response = attempt("rita", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429
    assert not logged_in(client)


@pytest.mark.parametrize(
    "password",
    ["password", "12345678", "rita@example.org", "short", "correcthorse"[:7]],
    ids=["common", "numeric", "like-the-email", "short", "seven-chars"],
)
def test_weak_passwords_are_refused(rita, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=rita)


def test_a_strong_password_passes(rita):
    validate_password("plum-orbit-harbour-97", user=rita)


def test_all_four_password_validators_are_on():
    names = {entry["NAME"].rsplit(".", 1)[1] for entry in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }
