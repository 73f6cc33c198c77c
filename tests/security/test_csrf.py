"""Writes made with a session cookie need the CSRF token: pages and the API alike.
Token-authenticated API calls carry no cookie a forged page could use, so they need none."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import token_create
from annotations.models import Claim, ClaimStatus
from tests.security import test_permission_matrix as matrix
from tests.security.world import ROLES, build_world


def page_writes() -> list[tuple[str, str]]:
    """(row, role) for every page row with a POST, made by a role the row allows."""
    writes = []
    for key, row in matrix.TABLE.items():
        if key.startswith(("v1:", "api-")) or "POST" not in row:
            continue
        words = row["POST"].split()
        for allowed in ("302", "200", "login"):
            if allowed in words:
                writes.append((key, ROLES[words.index(allowed)]))
                break
    return writes


@pytest.fixture
def world(db):
    return build_world()


def test_every_page_write_is_refused_without_the_csrf_token(world, quiet_request_log):
    writes = page_writes()
    assert {"claim_create[article]", "review_decide[submitted]", "logout", "login"} <= {
        key for key, _ in writes
    }
    clients = {}
    for role in ROLES:
        clients[role] = Client(enforce_csrf_checks=True)
        if world.users[role] is not None:
            clients[role].force_login(world.users[role])
    routes = {route.name: route for route in matrix.page_routes()}
    refused = []
    for key, role in writes:
        name, target = matrix.split_key(key)
        url = matrix.url_for(routes[name], target, world)
        payload = matrix.PAYLOADS.get((key, "POST"), lambda w: {})(world)
        answer = matrix.request(clients[role], "POST", url, data=payload)
        refused.append((key, role, answer.word))
    assert [r for r in refused if r[2] != "403"] == [], refused
    assert len(refused) >= 15


def test_a_refused_form_changes_nothing_and_says_why(world, quiet_request_log):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["author"])
    response = client.post(
        reverse("claim_submit", args=[world.draft.pk]), {"version": world.draft.version}
    )
    assert response.status_code == 403
    assert b"form could not be checked" in response.content
    assert Claim.objects.get(pk=world.draft.pk).status == ClaimStatus.DRAFT


def test_page_write_with_the_token_goes_through(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["author"])
    reader = client.get(reverse("claim_detail", args=[world.draft.pk]))
    token = reader.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("claim_submit", args=[world.draft.pk]),
        {"version": world.draft.version, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=world.draft.pk).status == ClaimStatus.SUBMITTED


def _api_session_client(user) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_api_write_with_session_and_no_csrf_token_is_refused(world):
    client = _api_session_client(world.users["author"])
    draft = world.draft
    answers = [
        client.post(reverse("v1:claim-submit", args=[draft.pk]), {"version": draft.version}),
        client.patch(
            reverse("v1:claim-detail", args=[draft.pk]),
            {"version": draft.version, "statement": "Forged"},
        ),
        client.delete(reverse("v1:claim-detail", args=[draft.pk])),
        client.post(reverse("v1:actor-list"), {"name": "Forged", "kind": "person"}),
    ]
    for response in answers:
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]
    draft.refresh_from_db()
    assert (draft.status, draft.statement) == (ClaimStatus.DRAFT, world.draft.statement)


def test_api_reads_with_session_need_no_csrf_token(world):
    client = _api_session_client(world.users["author"])
    assert client.get(reverse("v1:claim-detail", args=[world.draft.pk])).status_code == 200


def test_api_write_with_session_and_csrf_token_goes_through(world):
    client = _api_session_client(world.users["author"])
    token = client.get(reverse("article_list")).cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("v1:claim-submit", args=[world.draft.pk]),
        {"version": world.draft.version},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content


def test_api_write_with_a_token_needs_no_csrf_token(world):
    author = world.users["author"]
    _token, key = token_create(user=author)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(
        reverse("v1:claim-submit", args=[world.draft.pk]), {"version": world.draft.version}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ClaimStatus.SUBMITTED
