"""The admin lists and revokes tokens but never shows or makes a key; changing a
password or deactivating a user there revokes the user's tokens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import token_create
from tests.accounts.conftest import logged_in, with_key, works

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(superuser):
    return logged_in(superuser)


def test_a_superuser_cannot_read_a_key_in_the_admin(admin_client, reviewer):
    token, key = token_create(user=reviewer, name="review bot")
    secret = key.split(".", 1)[1]
    pages = [
        reverse("admin:accounts_apitoken_changelist"),
        reverse("admin:accounts_apitoken_change", args=[token.pk]),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "review bot" in body and token.prefix in body
        for hidden in (key, secret, token.digest, token.password_fingerprint):
            assert hidden not in body
    # Read-only: nothing on the change page can be typed into.
    assert 'name="name"' not in admin_client.get(pages[1]).content.decode()


def test_the_admin_cannot_make_change_or_delete_a_token(admin_client, reviewer):
    token, key = token_create(user=reviewer)
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    change = reverse("admin:accounts_apitoken_change", args=[token.pk])
    admin_client.post(change, {"name": "taken over", "expires": ""})
    token.refresh_from_db()
    assert token.name != "taken over"
    assert (
        admin_client.get(reverse("admin:accounts_apitoken_delete", args=[token.pk])).status_code
        == 403
    )
    assert works(key)


def test_the_admin_revokes_tokens(admin_client, reviewer, researcher):
    revoked, revoked_key = token_create(user=reviewer)
    _kept, kept_key = token_create(user=researcher)
    response = admin_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [revoked.pk]},
    )
    assert response.status_code == 302
    assert not works(revoked_key)
    assert works(kept_key)
    assert ApiToken.objects.get(pk=revoked.pk).revoked is not None


def test_a_password_changed_in_the_admin_revokes_the_users_tokens(admin_client, reviewer):
    _token, key = token_create(user=reviewer)
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[reviewer.pk]),
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302, response.content
    reviewer.refresh_from_db()
    assert reviewer.check_password("a-brand-new-passphrase")
    assert not works(key)


def user_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "groups": [group.pk for group in user.groups.all()],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_deactivating_in_the_admin_revokes_for_good(admin_client, reviewer):
    token, key = token_create(user=reviewer)
    change = reverse("admin:auth_user_change", args=[reviewer.pk])
    response = admin_client.post(change, user_form(reviewer, is_active=None))
    assert response.status_code == 302, response.content
    assert not works(key)
    assert ApiToken.objects.get(pk=token.pk).revoked is not None
    # Active again: the old token stays revoked.
    assert admin_client.post(change, user_form(reviewer)).status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.is_active
    refused = with_key(key).get(reverse("v1:claim-list"))
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_revoked"


def test_saving_an_active_user_in_the_admin_keeps_their_tokens(admin_client, reviewer):
    _token, key = token_create(user=reviewer)
    change = reverse("admin:auth_user_change", args=[reviewer.pk])
    assert admin_client.post(change, user_form(reviewer, first_name="Vera")).status_code == 302
    assert works(key)
