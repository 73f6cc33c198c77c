"""A merge of actors racing a claim that names one of them: never a server error.

A claim's actors are resolved when the request is read and written a moment later; an
editor may merge one of them away in between. The claim services lock the actors they
name before writing, in the same order as `actor_merge` locks its two, so either the
merge waits and then moves the new claim to the survivor, or the claim finds its actor
gone and is refused with a conflict naming the field. The threaded tests need
PostgreSQL (row locks and truly concurrent transactions); the refusal itself is checked
on every database by merging just before the service runs.
"""

from functools import partial
from unittest import mock

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Actor, Claim, ClaimActor
from annotations.services.actors import actor_merge
from annotations.services.claims import ActorLink, claim_create, claim_update
from claimdesk.errors import Conflict
from tests.annotations.workflow.test_concurrency import race
from tests.factories import ActorFactory

ROUNDS = 20
EXACT = "the Iranian state was behind the July cyberattacks"


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks and truly concurrent transactions")


def create_naming(user, article, *, claimant, linked=None):
    text = article.current_revision.text
    start = text.index(EXACT)
    return claim_create(
        user=user,
        article=article,
        start=start,
        end=start + len(EXACT),
        exact=EXACT,
        statement="Iran carried out the attacks.",
        claimant_id=claimant.pk,
        actors=[ActorLink(actor_id=linked.pk, role="accused")] if linked else [],
    )


def assert_claim_or_refusal(outcome, field):
    """A claim (which the merge may since have moved to the survivor) or a conflict
    naming the field; anything else (an IntegrityError above all) fails."""
    if isinstance(outcome, Conflict):
        assert outcome.status == 409
        assert outcome.errors[0]["field"] == field
        assert outcome.errors[0]["code"] == "actor_gone"
        return None
    assert isinstance(outcome, Claim), f"unexpected outcome: {outcome!r}"
    return outcome


# -- the refusal, on every database ------------------------------------------------------


@pytest.mark.django_db
def test_claimant_merged_away_before_the_claim_is_written_is_a_conflict(
    researcher, editor, article
):
    loser, survivor = ActorFactory(name="Persia"), ActorFactory(name="Iran")
    actor_merge(user=editor, actor_id=loser.pk, into_id=survivor.pk)
    with pytest.raises(Conflict) as refused:
        create_naming(researcher, article, claimant=loser)
    assert refused.value.errors == [
        {"field": "claimant", "code": "actor_gone", "detail": refused.value.errors[0]["detail"]}
    ]
    assert "merged" in refused.value.detail
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_linked_actor_merged_away_is_a_conflict_naming_its_row(researcher, editor, article):
    claimant, loser, survivor = ActorFactory(), ActorFactory(), ActorFactory()
    actor_merge(user=editor, actor_id=loser.pk, into_id=survivor.pk)
    with pytest.raises(Conflict) as refused:
        create_naming(researcher, article, claimant=claimant, linked=loser)
    assert refused.value.errors[0]["field"] == "actors.0.actor"
    assert refused.value.errors[0]["code"] == "actor_gone"


@pytest.mark.django_db
def test_edit_naming_a_merged_actor_is_a_conflict(researcher, editor, article):
    claim = create_naming(researcher, article, claimant=ActorFactory())
    loser, survivor = ActorFactory(), ActorFactory()
    actor_merge(user=editor, actor_id=loser.pk, into_id=survivor.pk)
    with pytest.raises(Conflict) as refused:
        claim_update(
            user=researcher, claim_id=claim.pk, version=claim.version, claimant_id=loser.pk
        )
    assert refused.value.errors[0]["field"] == "claimant"
    with pytest.raises(Conflict) as refused:
        claim_update(
            user=researcher,
            claim_id=claim.pk,
            version=claim.version,
            actors=[ActorLink(actor_id=survivor.pk, role="accused"), ActorLink(loser.pk, "target")],
        )
    assert refused.value.errors[0]["field"] == "actors.1.actor"
    claim.refresh_from_db()
    assert claim.version == 1
    assert not claim.actor_links.exists()


@pytest.mark.django_db
def test_api_answers_409_naming_the_claimant_merged_between_reading_and_writing(
    researcher, editor, article
):
    """The request is read while the actor exists; the merge lands before the service
    writes (as another request would), and the answer is the error contract's 409."""
    loser, survivor = ActorFactory(name="Persia"), ActorFactory(name="Iran")
    text = article.current_revision.text
    start = text.index(EXACT)
    payload = {
        "article": article.pk,
        "start": start,
        "end": start + len(EXACT),
        "exact": EXACT,
        "statement": "Iran carried out the attacks.",
        "claimant": loser.pk,
        "certainty": "asserted",
    }

    def merge_then_create(**kwargs):
        actor_merge(user=editor, actor_id=loser.pk, into_id=survivor.pk)
        return claim_create(**kwargs)

    client = APIClient()
    client.force_authenticate(researcher)
    with mock.patch("annotations.api.views.claims.claim_create", merge_then_create):
        response = client.post(reverse("v1:claim-list"), payload, format="json")
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "conflict"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("claimant", "actor_gone")]
    assert not Claim.objects.exists()


# -- the race, on PostgreSQL -------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("as_claimant", [True, False], ids=["claimant", "linked actor"])
def test_merge_racing_a_claim_creation_never_leaves_a_dangling_actor(
    researcher, editor, article, as_claimant
):
    field = "claimant" if as_claimant else "actors.0.actor"
    outcomes = set()
    for round_number in range(ROUNDS):
        loser = ActorFactory(name=f"Persia {round_number}")
        survivor = ActorFactory(name=f"Iran {round_number}")
        claimant = loser if as_claimant else ActorFactory()
        linked = None if as_claimant else loser
        merged, created = race(
            partial(actor_merge, user=editor, actor_id=loser.pk, into_id=survivor.pk),
            partial(create_naming, researcher, article, claimant=claimant, linked=linked),
        )
        assert not isinstance(merged, Exception), merged
        assert not isinstance(created, IntegrityError), created
        claim = assert_claim_or_refusal(created, field)
        assert not Actor.objects.filter(pk=loser.pk).exists()
        if claim is not None:
            claim.refresh_from_db()
            named = claim.claimant_id if as_claimant else claim.actor_links.get().actor_id
            assert named == survivor.pk, f"round {round_number}"
            outcomes.add("moved")
        else:
            outcomes.add("refused")
    assert not Claim.objects.exclude(claimant__in=Actor.objects.all()).exists()
    assert not ClaimActor.objects.exclude(actor__in=Actor.objects.all()).exists()
    assert outcomes  # which ones happen is up to the scheduler


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_merge_racing_an_edit_of_a_claim_naming_the_loser_neither_deadlocks_nor_dangles(
    researcher, editor, article
):
    """The merge rewrites the claim's claimant and links while the edit replaces its
    links: both take the actors before the claim, so one waits for the other."""
    for round_number in range(ROUNDS):
        loser = ActorFactory(name=f"Persia {round_number}")
        survivor = ActorFactory(name=f"Iran {round_number}")
        target = ActorFactory(name=f"Albania {round_number}")
        claim = create_naming(researcher, article, claimant=loser, linked=loser)
        links = [ActorLink(actor_id=loser.pk, role="accused"), ActorLink(target.pk, "target")]
        merged, edited = race(
            partial(actor_merge, user=editor, actor_id=loser.pk, into_id=survivor.pk),
            partial(
                claim_update,
                user=researcher,
                claim_id=claim.pk,
                version=claim.version,
                actors=links,
            ),
        )
        assert not isinstance(merged, Exception), merged
        if isinstance(edited, Conflict):
            # The loser named in the edit is gone, or the merge moved the claim between
            # the edit's first look and its locks: reload and try again.
            fields = [error["field"] for error in edited.errors]
            assert fields in ([], ["actors.0.actor"]), edited.errors
        else:
            assert isinstance(edited, Claim), f"round {round_number}: {edited!r}"
        claim.refresh_from_db()
        assert claim.claimant_id == survivor.pk
        assert loser.pk not in set(claim.actor_links.values_list("actor_id", flat=True))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_merge_racing_an_api_claim_creation_answers_201_or_a_409_naming_the_claimant(
    researcher, editor, article
):
    loser, survivor = ActorFactory(name="Persia"), ActorFactory(name="Iran")
    text = article.current_revision.text
    start = text.index(EXACT)
    payload = {
        "article": article.pk,
        "start": start,
        "end": start + len(EXACT),
        "exact": EXACT,
        "statement": "Iran carried out the attacks.",
        "claimant": loser.pk,
        "certainty": "asserted",
    }

    def post():
        client = APIClient()
        client.force_authenticate(researcher)
        return client.post(reverse("v1:claim-list"), payload, format="json")

    merged, response = race(
        partial(actor_merge, user=editor, actor_id=loser.pk, into_id=survivor.pk), post
    )
    assert not isinstance(merged, Exception), merged
    assert not isinstance(response, Exception), response
    body = response.json()
    if response.status_code == 201:
        assert Claim.objects.get(pk=body["id"]).claimant_id == survivor.pk
    else:
        # Merged before the request was read (400, the serializer's unknown id) or
        # between reading and writing (409, the service's refusal): either names the field.
        assert response.status_code in (400, 409), body
        assert body["errors"][0]["field"] == "claimant"
        assert body["errors"][0]["code"] in ("does_not_exist", "actor_gone")
