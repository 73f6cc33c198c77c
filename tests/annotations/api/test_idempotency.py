"""`Idempotency-Key`: a write sent twice with the same key is done once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from annotations.idempotency import IdempotencyKey
from annotations.models import Claim, ClaimEvent
from tests.annotations.api.test_claims import create_payload

pytestmark = pytest.mark.django_db

CLAIMS = reverse("v1:claim-list")


def post(client, payload, key=None, path=CLAIMS):
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(path, payload, format="json", headers=headers)


def test_the_same_key_and_body_answer_the_first_result_without_a_second_claim(
    desk, as_user, researcher
):
    client = as_user(researcher)
    payload = create_payload(desk, statement="Once only.")
    first = post(client, payload, key="create-1")
    again = post(client, payload, key="create-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    claim_url = reverse("v1:claim-detail", args=[first.json()["id"]])
    assert first["Location"] == again["Location"] == claim_url
    assert Claim.objects.filter(statement="Once only.").count() == 1
    row = IdempotencyKey.objects.get(user=researcher, key="create-1")
    assert (row.status, row.location, len(row.fingerprint)) == (201, claim_url, 64)


def test_the_same_key_with_another_body_is_refused(desk, as_user, researcher):
    client = as_user(researcher)
    post(client, create_payload(desk, statement="First body."), key="k")
    response = post(client, create_payload(desk, statement="Second body."), key="k")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "idempotency_key_reused"
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert not Claim.objects.filter(statement="Second body.").exists()


def test_the_same_key_on_another_endpoint_is_refused(desk, as_user, researcher):
    client = as_user(researcher)
    draft = desk.claims["draft"]
    post(client, create_payload(desk, statement="Made."), key="k")
    submit = reverse("v1:claim-submit", args=[draft.pk])
    response = post(client, {"version": draft.version}, key="k", path=submit)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_keys_are_per_user(desk, as_user, researcher, other_researcher):
    mine = post(as_user(researcher), create_payload(desk, statement="Same key."), key="shared")
    theirs = post(
        as_user(other_researcher), create_payload(desk, statement="Same key."), key="shared"
    )
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert mine.json()["id"] != theirs.json()["id"]
    assert Claim.objects.filter(statement="Same key.").count() == 2


def test_without_a_key_every_request_does_its_work(desk, as_user, researcher):
    client = as_user(researcher)
    payload = create_payload(desk, statement="No key.")
    assert post(client, payload).status_code == 201
    assert post(client, payload).status_code == 201
    assert Claim.objects.filter(statement="No key.").count() == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "clé", "tab\there"])
def test_a_key_that_is_not_printable_ascii_of_1_to_255_characters_is_a_400(
    desk, as_user, researcher, key
):
    response = post(as_user(researcher), create_payload(desk, statement="Bad key."), key=key)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert not Claim.objects.filter(statement="Bad key.").exists()


def test_a_key_of_255_printable_characters_is_accepted(desk, as_user, researcher):
    key = "k" * 254 + "~"
    response = post(as_user(researcher), create_payload(desk, statement="Long key."), key=key)
    assert response.status_code == 201


def test_a_refusal_is_not_recorded_so_the_key_can_be_sent_again(desk, as_user, researcher):
    client = as_user(researcher)
    refused = post(client, create_payload(desk, statement="", certainty="maybe"), key="retry")
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    response = post(client, create_payload(desk, statement="Fixed."), key="retry")
    assert response.status_code == 201


def test_a_decision_sent_twice_is_taken_once(desk, as_user, researcher):
    client = as_user(researcher)
    draft = desk.claims["draft"]
    submit = reverse("v1:claim-submit", args=[draft.pk])
    events = ClaimEvent.objects.filter(claim=draft).count()
    first = post(client, {"version": draft.version}, key="submit-1", path=submit)
    again = post(client, {"version": draft.version}, key="submit-1", path=submit)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    # Without the key the second would be a 409 `stale_version`.
    assert ClaimEvent.objects.filter(claim=draft).count() == events + 1


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("v1:source-list", {"name": "Once Daily", "kind": "outlet"}),
        ("v1:actor-list", {"name": "Once Person", "kind": "person"}),
        ("v1:article-list", {"title": "Once", "text": "A text sent once."}),
    ],
)
def test_other_creations_are_done_once(editor, as_user, name, payload):
    client = as_user(editor)
    first = post(client, payload, key="c1", path=reverse(name))
    again = post(client, payload, key="c1", path=reverse(name))
    assert first.status_code == 201, first.json()
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


def test_a_key_older_than_a_day_is_forgotten(desk, as_user, researcher):
    client = as_user(researcher)
    payload = create_payload(desk, statement="Old key.")
    post(client, payload, key="old")
    IdempotencyKey.objects.update(
        created=IdempotencyKey.objects.get().created - timedelta(hours=25)
    )
    response = post(client, payload, key="old")
    assert "Idempotent-Replayed" not in response
    assert Claim.objects.filter(statement="Old key.").count() == 2


def test_prune_deletes_keys_older_than_a_day(desk, as_user, researcher):
    client = as_user(researcher)
    post(client, create_payload(desk, statement="Kept."), key="new")
    post(client, create_payload(desk, statement="Pruned."), key="old")
    old = IdempotencyKey.objects.get(key="old")
    IdempotencyKey.objects.filter(pk=old.pk).update(created=old.created - timedelta(hours=25))
    call_command("prune_idempotency_keys", stdout=StringIO())
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_the_header_is_in_the_schema_of_every_write_that_takes_it(anon):
    paths = yaml.safe_load(anon.get(reverse("api-schema")).content)["paths"]
    for path, method in [
        ("/api/v1/claims/", "post"),
        ("/api/v1/claims/{id}/submit/", "post"),
        ("/api/v1/claims/{id}/review/", "post"),
        ("/api/v1/articles/", "post"),
        ("/api/v1/articles/{id}/", "patch"),
        ("/api/v1/actors/", "post"),
        ("/api/v1/sources/", "post"),
        ("/api/v1/actors/{id}/merge/", "post"),
    ]:
        names = {(p["name"], p["in"]) for p in paths[path][method].get("parameters", [])}
        assert ("Idempotency-Key", "header") in names, (method, path)
        assert "409" in paths[path][method]["responses"], (method, path)


def test_a_merge_sent_twice_is_done_once(desk, as_user, editor):
    from annotations.models import Actor

    duplicate = Actor.objects.create(name="Islamic Republic of Iran", kind="state")
    merge = reverse("v1:actor-merge", args=[duplicate.pk])
    client = as_user(editor)
    first = post(client, {"into": desk.iran.pk}, key="merge-1", path=merge)
    again = post(client, {"into": desk.iran.pk}, key="merge-1", path=merge)
    assert first.status_code == again.status_code == 200, first.json()
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    # Without the key the second would be a 404: the merged actor is gone.
    assert not Actor.objects.filter(pk=duplicate.pk).exists()


def test_an_article_revision_sent_twice_is_made_once(desk, as_user, researcher):
    client = as_user(researcher)
    url = reverse("v1:article-detail", args=[desk.article.pk])
    text = desk.article.revisions.get(number=1).text + "\n\nUpdate."
    payload = {"text": text, "note": "Correction", "revision": 1}
    first = client.patch(url, payload, format="json", headers={"Idempotency-Key": "rev-1"})
    again = client.patch(url, payload, format="json", headers={"Idempotency-Key": "rev-1"})
    assert first.status_code == again.status_code == 200, first.json()
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert desk.article.revisions.count() == 2


def test_recording_a_key_deletes_the_users_keys_older_than_a_day(
    desk, as_user, researcher, other_researcher
):
    post(as_user(researcher), create_payload(desk, statement="Mine, old."), key="mine-old")
    post(as_user(other_researcher), create_payload(desk, statement="Theirs."), key="theirs-old")
    IdempotencyKey.objects.update(
        created=IdempotencyKey.objects.order_by("pk").first().created - timedelta(hours=25)
    )
    post(as_user(researcher), create_payload(desk, statement="Mine, new."), key="mine-new")
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {
        "mine-new",
        "theirs-old",
    }
