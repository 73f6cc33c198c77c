"""Retries: every answer to a write tells the truth about what was saved, and the
`Idempotency-Key` of an answer whose outcome is unknown finds what was saved.

The tests run outside the test's own transaction (`transaction=True`): the commit whose
acknowledgement is lost, and the connections the server ends, are real ones.
"""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse
from rest_framework.test import APIClient

from annotations import idempotency
from annotations.models import Claim
from tests.factories import ARTICLE_TEXT, ActorFactory, ArticleFactory, UserFactory
from tests.security.world import ensure_roles

QUOTE = "the Iranian state was behind the July cyberattacks"
CLAIMS = reverse("v1:claim-list")


@pytest.fixture
def researcher(transactional_db):
    ensure_roles()
    return UserFactory(username="rita", roles=["researcher"])


@pytest.fixture
def client(researcher) -> APIClient:
    client = APIClient()
    client.force_authenticate(researcher)
    return client


def _claim_input(statement: str) -> dict:
    article, claimant = ArticleFactory(), ActorFactory()
    start = ARTICLE_TEXT.index(QUOTE)
    return {
        "article": article.pk,
        "start": start,
        "end": start + len(QUOTE),
        "exact": QUOTE,
        "statement": statement,
        "claimant": claimant.pk,
        "certainty": "asserted",
    }


def _post(client, payload: dict, key: str):
    return client.post(CLAIMS, payload, format="json", headers={"Idempotency-Key": key})


def _commit_then_lose_the_connection(lose):
    """`BaseDatabaseWrapper.commit` that commits for real, then loses the connection as
    a commit whose acknowledgement never came back would (`lose(connection)`)."""
    real_commit = BaseDatabaseWrapper.commit

    def commit(self):
        real_commit(self)
        lose(self)

    return commit


def _raise_lost(wrapper):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db(transaction=True)
def test_a_commit_whose_answer_is_lost_says_the_outcome_is_unknown_and_the_key_finds_it(
    client, quiet_request_log
):
    payload = _claim_input("Committed, answer lost.")
    with mock.patch.object(
        BaseDatabaseWrapper, "commit", _commit_then_lose_the_connection(_raise_lost)
    ):
        lost = _post(client, payload, "lost-1")
    assert lost.status_code == 503
    body = lost.json()
    assert body["code"] == "outcome_unknown"
    assert "may have been saved" in body["detail"]
    assert "nothing was saved" not in body["detail"]
    assert "idempotency key" in body["detail"]
    claim = Claim.objects.get(statement="Committed, answer lost.")
    assert body["location"] == reverse("v1:claim-detail", args=[claim.pk])
    replay = _post(client, payload, "lost-1")
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == claim.pk
    assert Claim.objects.filter(statement="Committed, answer lost.").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failure_before_the_commit_says_nothing_was_saved_and_the_key_is_free(
    client, quiet_request_log
):
    payload = _claim_input("Rolled back.")
    with mock.patch(
        "annotations.services.claims._replace_links", side_effect=OperationalError("gone")
    ):
        failed = _post(client, payload, "rolled-1")
    assert failed.status_code == 503
    assert failed.json()["code"] == "service_unavailable"
    assert "nothing was saved" in failed.json()["detail"]
    assert not Claim.objects.filter(statement="Rolled back.").exists()
    assert not idempotency.IdempotencyKey.objects.exists()
    retried = _post(client, payload, "rolled-1")
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried


# -- PostgreSQL: connections really ended by the server --------------------------------


def _terminate_others(cursor) -> None:
    cursor.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )


def _killer_connection():
    """A connection of its own (not the test's), to end the others from."""
    return connections.create_connection("default")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: the server ends sessions"
)
def test_a_commit_acknowledged_to_nobody_on_postgresql_is_found_by_its_key(
    client, quiet_request_log
):
    payload = _claim_input("Ended after commit.")
    killer = _killer_connection()

    def end_the_session(wrapper):
        # The server ends the session that has just committed; the next use of it fails
        # as a lost acknowledgement would.
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [wrapper.connection.info.backend_pid])
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")

    try:
        with mock.patch.object(
            BaseDatabaseWrapper, "commit", _commit_then_lose_the_connection(end_the_session)
        ):
            lost = _post(client, payload, "pg-lost-1")
    finally:
        killer.close()
    connection.close()
    assert lost.status_code == 503, lost.content
    assert lost.json()["code"] == "outcome_unknown"
    replay = _post(client, payload, "pg-lost-1")
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert Claim.objects.filter(statement="Ended after commit.").count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: advisory locks")
def test_a_key_whose_first_request_is_still_running_answers_409_in_progress(
    client, researcher, quiet_request_log
):
    payload = _claim_input("Running.")
    holder = _killer_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(%s)", [idempotency._lock_number(researcher.pk, "busy")]
            )
        response = _post(client, payload, "busy")
    finally:
        holder.close()
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_progress"
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not Claim.objects.filter(statement="Running.").exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: the server ends sessions"
)
def test_every_answer_tells_the_truth_while_connections_keep_dropping(client, quiet_request_log):
    """A burst of claim creations while another session ends every other one, again and
    again: a 201 names a saved claim, "nothing was saved" holds, and an `outcome_unknown`
    is settled by sending the same key again, without a duplicate."""
    payloads = [_claim_input(f"Burst claim {n}.") for n in range(40)]
    connection.close()
    stop = threading.Event()
    ended = []

    def keep_ending_sessions():
        killer = _killer_connection()
        try:
            while not stop.is_set():
                with killer.cursor() as cursor:
                    _terminate_others(cursor)
                    ended.append(cursor.rowcount)
                time.sleep(0.015)
        finally:
            killer.close()

    thread = threading.Thread(target=keep_ending_sessions)
    thread.start()
    answers = []
    try:
        for n, payload in enumerate(payloads):
            response = _post(client, payload, f"burst-{n}")
            answers.append((n, response.status_code, response.json()))
    finally:
        stop.set()
        thread.join()
    connection.close()

    codes = {status for _, status, _ in answers}
    assert codes <= {201, 503}, answers
    assert 503 in codes, "no request met a dropped connection: the test tested nothing"
    for n, status, body in answers:
        statement = f"Burst claim {n}."
        saved = Claim.objects.filter(statement=statement)
        if status == 201:
            assert list(saved.values_list("pk", flat=True)) == [body["id"]]
        elif body["code"] == "service_unavailable":
            assert "nothing was saved" in body["detail"]
            assert not saved.exists(), statement
        else:
            assert body["code"] == "outcome_unknown", body
            replay = _post(client, payloads[n], f"burst-{n}")
            assert replay.status_code == 201
            assert saved.count() == 1
            assert replay.json()["id"] == saved.get().pk
    # Every key names at most one claim, and each claim its key recorded.
    for n in range(len(payloads)):
        assert Claim.objects.filter(statement=f"Burst claim {n}.").count() <= 1
