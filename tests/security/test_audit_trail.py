"""The audit trail cannot be changed: not through the admin, not through the API, not
through the model, and not by a query that goes around the model (a database trigger)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Claim, ClaimEvent, EventKind
from annotations.services.claims import claim_delete
from tests.security import test_permission_matrix as matrix

postgres_only = pytest.mark.postgres_only


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the DELETE trigger exists there only")


@pytest.fixture
def event(draft_claim):
    return ClaimEvent.objects.get(claim=draft_claim, kind=EventKind.CREATED)


def _unchanged(event) -> bool:
    fresh = ClaimEvent.objects.get(pk=event.pk)
    return (fresh.kind, fresh.changes, fresh.data) == (event.kind, event.changes, event.data)


# -- admin ----------------------------------------------------------------------------------


def test_admin_shows_events_read_only(superuser, event, quiet_request_log):
    client = Client()
    client.force_login(superuser)
    assert client.get(reverse("admin:annotations_claimevent_changelist")).status_code == 200
    page = client.get(reverse("admin:annotations_claimevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.get(reverse("admin:annotations_claimevent_add")).status_code == 403


def test_admin_refuses_to_change_or_delete_an_event(superuser, event, quiet_request_log):
    client = Client()
    client.force_login(superuser)
    change = client.post(
        reverse("admin:annotations_claimevent_change", args=[event.pk]),
        {"kind": "deleted", "from_status": "x", "to_status": "y", "version": 9},
    )
    delete = client.post(
        reverse("admin:annotations_claimevent_delete", args=[event.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:annotations_claimevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)
    assert _unchanged(event)


# -- API ------------------------------------------------------------------------------------


def test_api_has_no_way_to_write_an_event(researcher, draft_claim, event):
    client = APIClient()
    client.force_authenticate(researcher)
    url = reverse("v1:claim-events", args=[draft_claim.pk])
    assert client.get(url).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(url, {"kind": "deleted"}, format="json")
        assert response.status_code == 405, method
    assert _unchanged(event)


def test_no_api_url_addresses_a_single_event():
    event_routes = [r.route for r in matrix.page_routes() if r.is_api and "event" in r.route]
    assert event_routes == ["api/v1/claims/<int:pk>/events/"]


# -- model and database ---------------------------------------------------------------------


def test_the_model_refuses_to_save_or_delete_an_existing_event(event):
    event.kind = EventKind.DELETED
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert ClaimEvent.objects.get(pk=event.pk).kind == EventKind.CREATED


def test_a_queryset_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        ClaimEvent.objects.filter(pk=event.pk).update(kind=EventKind.DELETED)
    assert _unchanged(event)


def test_a_raw_update_is_refused_by_the_database(event):
    table = connection.ops.quote_name(ClaimEvent._meta.db_table)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET data = '{{}}', kind = 'deleted'")
    assert _unchanged(event)


@postgres_only
def test_a_queryset_delete_is_refused_by_the_database(event):
    needs_postgres()
    with pytest.raises(DatabaseError), transaction.atomic():
        ClaimEvent.objects.filter(pk=event.pk).delete()
    assert _unchanged(event)


@postgres_only
def test_a_raw_delete_is_refused_by_the_database(event):
    needs_postgres()
    table = connection.ops.quote_name(ClaimEvent._meta.db_table)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    assert ClaimEvent.objects.filter(pk=event.pk).exists()


def test_new_events_can_still_be_written(draft_claim):
    before = ClaimEvent.objects.count()
    ClaimEvent.objects.create(claim=draft_claim, kind=EventKind.EDITED, version=2)
    ClaimEvent.objects.bulk_create([ClaimEvent(claim=draft_claim, kind=EventKind.EDITED)])
    assert ClaimEvent.objects.count() == before + 2


def test_deleting_a_draft_keeps_its_events(researcher, draft_claim):
    kept = list(ClaimEvent.objects.filter(claim_id=draft_claim.pk).values_list("pk", flat=True))
    claim_delete(user=researcher, claim_id=draft_claim.pk, version=draft_claim.version)
    assert not Claim.objects.filter(pk=draft_claim.pk).exists()
    events = ClaimEvent.objects.filter(claim_id=draft_claim.pk).order_by("id")
    assert set(kept) < set(events.values_list("pk", flat=True))
    last = events.last()
    assert last.kind == EventKind.DELETED
    assert last.data["snapshot"]["statement"] == draft_claim.statement
