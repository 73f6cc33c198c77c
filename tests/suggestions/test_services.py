"""What researchers do with suggestions, at the service level: dismiss (remembered, by
whom and when), accept (a claim that names the suggestion, counted as it was or after
edits), and the project's counts."""

from __future__ import annotations

import pytest

from annotations.models import ActorRole, Certainty
from annotations.services.claims import ActorLink, MarkedSpan
from claimdesk.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound
from suggestions.models import SuggestionOutcome
from suggestions.selectors import article_suggestions, project_counts
from suggestions.services import (
    claim_create_from_suggestion,
    suggestion_dismiss,
    suggestions_shown,
)
from tests.factories import UserFactory, make_claim
from tests.suggestions.helpers import ACCUSATION, DENIAL, store, suggestion_for


@pytest.fixture
def stored(article, actors):
    text = article.revisions.get().text
    return store(
        article,
        [
            suggestion_for(
                text,
                ACCUSATION,
                claimant=actors["rama"],
                cue="said",
                source="Edi Rama",
                actors=[(actors["iran"], ActorRole.ACCUSED)],
            ),
            suggestion_for(
                text, DENIAL, claimant=actors["iran"], certainty=Certainty.DENIED, cue="rejected"
            ),
        ],
    )


def _accept(user, article, row, **changes):
    text = article.revisions.get().text
    data = row.data
    arguments = {
        "start": row.start,
        "end": row.end,
        "exact": text[row.start : row.end],
        "statement": "Drafted.",
        "claimant_id": data["claimant_id"],
        "certainty": data["certainty"],
        "actors": [ActorLink(actor_id=a, role=r) for a, r in data["actors"]],
        # The cue and source mention the suggestion found, as the reader's form sends them.
        "cue": MarkedSpan(*data["cue"]) if data.get("cue") else None,
        "source_mention": MarkedSpan(*data["source"]) if data.get("source") else None,
    }
    arguments.update(changes)
    return claim_create_from_suggestion(user=user, article=article, suggestion=row.key, **arguments)


def test_listing_leaves_out_a_dismissed_suggestion_unless_asked(article, stored, researcher):
    revision = article.revisions.get()
    suggestion_dismiss(user=researcher, article=article, key=stored[1].key)

    listed = article_suggestions(article=article, revision=revision)
    assert [row.key for row in listed.rows] == [stored[0].key]
    every = article_suggestions(article=article, revision=revision, include_dismissed=True)
    assert [row.key for row in every.rows] == [stored[0].key, stored[1].key]
    assert every.dismissed == {stored[1].key}
    outcome = SuggestionOutcome.objects.get(article=article, key=stored[1].key)
    assert outcome.dismissed_by == researcher and outcome.dismissed_at is not None


def test_dismissing_twice_keeps_the_first_dismissal(article, stored, researcher):
    first = suggestion_dismiss(user=researcher, article=article, key=stored[0].key)
    other = UserFactory(username="oscar", roles=["researcher"])
    again = suggestion_dismiss(user=other, article=article, key=stored[0].key)
    assert again.dismissed_by == researcher and again.dismissed_at == first.dismissed_at


def test_only_researchers_of_the_project_dismiss(article, stored):
    reviewer = UserFactory(username="vera", roles=["reviewer"])
    with pytest.raises(NotAllowed):
        suggestion_dismiss(user=reviewer, article=article, key=stored[0].key)
    assert not SuggestionOutcome.objects.exists()


def test_an_unknown_key_is_not_found(article, stored, researcher):
    with pytest.raises(NotFound):
        suggestion_dismiss(user=researcher, article=article, key="0" * 32)


def test_accepting_unchanged_counts_as_accepted_as_it_was(article, stored, researcher):
    claim = _accept(researcher, article, stored[0])

    outcome = SuggestionOutcome.objects.get(article=article, key=stored[0].key)
    assert outcome.claim == claim and outcome.accepted_as_suggested is True
    assert outcome.edited_fields == []
    counts = project_counts(article.project_id)
    assert counts["accepted_as_suggested"] == 1 and counts["accepted_after_edits"] == 0
    # It is a claim now: no longer suggested.
    listed = article_suggestions(article=article, revision=article.revisions.get())
    assert stored[0].key not in [row.key for row in listed.rows]


def test_accepting_with_another_claimant_counts_as_accepted_after_edits(
    article, stored, researcher, actors
):
    _accept(researcher, article, stored[0], claimant_id=actors["albania"].pk, actors=[])

    outcome = SuggestionOutcome.objects.get(article=article, key=stored[0].key)
    assert outcome.accepted_as_suggested is False
    assert outcome.edited_fields == ["claimant", "actors"]
    assert project_counts(article.project_id)["accepted_after_edits"] == 1


def test_a_suggestion_is_accepted_once(article, stored, researcher):
    _accept(researcher, article, stored[0])
    with pytest.raises(Conflict) as caught:
        _accept(researcher, article, stored[0])
    assert caught.value.errors[0]["code"] == "already_accepted"


def test_a_failed_claim_records_no_acceptance(article, stored, researcher):
    with pytest.raises(InvalidInput):
        _accept(researcher, article, stored[0], statement="")
    assert not SuggestionOutcome.objects.filter(accepted_at__isnull=False).exists()


def test_an_unknown_suggestion_is_refused_on_its_field(article, stored, researcher):
    row = stored[0]
    row.key = "f" * 32
    with pytest.raises(InvalidInput) as caught:
        _accept(researcher, article, row)
    assert caught.value.field == "suggestion"
    assert caught.value.errors[0]["code"] == "does_not_exist"


def test_an_accepted_suggestion_cannot_be_dismissed(article, stored, researcher):
    _accept(researcher, article, stored[0])
    with pytest.raises(InvalidTransition):
        suggestion_dismiss(user=researcher, article=article, key=stored[0].key)


def test_a_claim_made_by_hand_on_the_passage_hides_the_suggestion(
    article, stored, researcher, actors
):
    make_claim(
        author=researcher,
        article=article,
        exact="the Iranian state was behind",
        claimant=actors["rama"],
    )
    listed = article_suggestions(article=article, revision=article.revisions.get())
    assert [row.key for row in listed.rows] == [stored[1].key]


def test_counts_count_each_suggestion_shown_once(article, stored, researcher):
    keys = [row.key for row in stored]
    suggestions_shown(article=article, keys=keys)
    suggestions_shown(article=article, keys=keys)
    suggestion_dismiss(user=researcher, article=article, key=keys[1])
    assert project_counts(article.project_id) == {
        "shown": 2,
        "accepted_as_suggested": 0,
        "accepted_after_edits": 0,
        "dismissed": 1,
    }
