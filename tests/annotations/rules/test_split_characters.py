"""A selection that splits a character is refused at every door, naming the offset.

The rule lives in `anchor_from_selection` (see `tests/annotations/test_anchoring_clusters.py`);
these tests show each door reaching it: the claim services (create, edit, re-attach), the
API (400 naming `start` or `end`, code `splits_character`) and the pages' forms.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import AnchorState, Claim
from annotations.services.claims import claim_create, claim_update
from annotations.services.revisions import article_revise, claim_reattach
from claimdesk.errors import InvalidInput
from tests.factories import ActorFactory, ArticleFactory

pytestmark = pytest.mark.django_db

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
FLAG = "\U0001f1e6\U0001f1f1"
THUMBS_UP = "\U0001f44d\U0001f3fd"
E_ACUTE = "e\u0301"  # as imported before normalising; NFC would make it one code point
JAMO = "\u1100\u1176\u11a8"

TEXT = (
    f"Tirana {FLAG} said the attack {FAMILY} came from abroad.\n\n"
    f"Caf{E_ACUTE} owners {THUMBS_UP} and {JAMO} officials in Tehran denied it."
)

# (cluster, code points into it): one offset inside each kind of character.
INSIDE = [
    pytest.param(FAMILY, 2, id="emoji ZWJ family"),
    pytest.param(FLAG, 1, id="flag"),
    pytest.param(THUMBS_UP, 1, id="skin tone"),
    pytest.param(E_ACUTE, 1, id="combining accent"),
    pytest.param(JAMO, 1, id="Hangul jamo"),
]


def span_starting_inside(text, cluster, inner):
    start = text.index(cluster) + inner
    end = text.index("officials")
    return start, end


def span_ending_inside(text, cluster, inner):
    return text.index("Tirana"), text.index(cluster) + inner


def create(user, article, start, end):
    text = article.current_revision.text
    return claim_create(
        user=user,
        article=article,
        start=start,
        end=end,
        exact=text[start:end],
        statement="Iran denies the attack.",
        claimant_id=ActorFactory().pk,
    )


def assert_splits(refused, field):
    assert refused.value.field == field
    assert [(e["field"], e["code"]) for e in refused.value.errors] == [(field, "splits_character")]


@pytest.fixture
def article():
    return ArticleFactory(text=TEXT)


# -- services ------------------------------------------------------------------------------


@pytest.mark.parametrize(("cluster", "inner"), INSIDE)
def test_create_refuses_a_start_or_end_inside_a_character(researcher, article, cluster, inner):
    with pytest.raises(InvalidInput) as refused:
        create(researcher, article, *span_starting_inside(TEXT, cluster, inner))
    assert_splits(refused, "start")
    with pytest.raises(InvalidInput) as refused:
        create(researcher, article, *span_ending_inside(TEXT, cluster, inner))
    assert_splits(refused, "end")
    assert not Claim.objects.exists()


@pytest.mark.parametrize(("cluster", "inner"), INSIDE)
def test_create_accepts_offsets_at_the_edges_of_a_character(researcher, article, cluster, inner):
    at = TEXT.index(cluster)
    claim = create(researcher, article, at, at + len(cluster))
    assert claim.exact == cluster
    claim = create(researcher, article, TEXT.index("Tirana"), at)
    assert claim.end == at


@pytest.mark.parametrize(("cluster", "inner"), INSIDE)
def test_edit_refuses_moving_an_offset_inside_a_character(researcher, article, cluster, inner):
    claim = create(researcher, article, 0, len("Tirana"))
    start, end = span_starting_inside(TEXT, cluster, inner)
    with pytest.raises(InvalidInput) as refused:
        claim_update(
            user=researcher,
            claim_id=claim.pk,
            version=claim.version,
            start=start,
            end=end,
            exact=TEXT[start:end],
        )
    assert_splits(refused, "start")
    with pytest.raises(InvalidInput) as refused:
        claim_update(
            user=researcher,
            claim_id=claim.pk,
            version=claim.version,
            end=TEXT.index(cluster) + inner,
            exact=TEXT[: TEXT.index(cluster) + inner],
        )
    assert_splits(refused, "end")
    claim.refresh_from_db()
    assert (claim.start, claim.end, claim.version) == (0, len("Tirana"), 1)


def orphaned_claim(user):
    """A claim whose passage a new text (holding a flag and a family) no longer has."""
    article = ArticleFactory(text="Tirana said the attack came from abroad.")
    claim = create(user, article, 0, len("Tirana said"))
    article_revise(
        user=user,
        article_id=article.pk,
        text=f"Officials {FLAG} in Tehran {FAMILY} denied everything.",
    )
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.ORPHANED
    return claim, claim.article.current_revision.text


@pytest.mark.parametrize(("cluster", "inner"), [(FLAG, 1), (FAMILY, 4)])
def test_reattach_refuses_a_selection_splitting_a_character(researcher, cluster, inner):
    claim, text = orphaned_claim(researcher)
    start, end = text.index(cluster) + inner, text.index(" denied")
    with pytest.raises(InvalidInput) as refused:
        claim_reattach(
            user=researcher,
            claim_id=claim.pk,
            version=claim.version,
            start=start,
            end=end,
            exact=text[start:end],
        )
    assert_splits(refused, "start")
    start = text.index(cluster)
    claim = claim_reattach(
        user=researcher,
        claim_id=claim.pk,
        version=claim.version,
        start=start,
        end=end,
        exact=text[start:end],
    )
    assert claim.anchor_state == AnchorState.ANCHORED


# -- API ---------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(article, start, end, **extra):
    return {
        "article": article.pk,
        "start": start,
        "end": end,
        "exact": TEXT[start:end],
        "statement": "Iran denies the attack.",
        "claimant": ActorFactory().pk,
        "certainty": "denied",
        **extra,
    }


@pytest.mark.parametrize(("cluster", "inner"), INSIDE)
def test_api_answers_400_naming_the_offset_that_splits_a_character(
    researcher, article, cluster, inner
):
    client = api(researcher)
    for field, span in [
        ("start", span_starting_inside(TEXT, cluster, inner)),
        ("end", span_ending_inside(TEXT, cluster, inner)),
    ]:
        response = client.post(reverse("v1:claim-list"), payload(article, *span), format="json")
        assert response.status_code == 400, response.content
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
            (field, "splits_character")
        ]
    assert not Claim.objects.exists()


def test_api_refuses_utf16_offsets_that_split_a_character_after_conversion(researcher, article):
    """`offset_unit: utf16` offsets between two code points of one character (here the
    family's ZWJ and the woman) convert fine and are then refused like any other."""
    start = TEXT.index(FAMILY) + 2  # after the man and the ZWJ
    end = TEXT.index("officials")
    body = payload(article, start, end, offset_unit="utf16")
    # JavaScript counts two units for each emoji code point: the flag's two and the man
    # before `start`; those, the family's three and the thumbs-up's two before `end`.
    body["start"], body["end"] = start + 2 + 1, end + 2 + 3 + 2
    response = api(researcher).post(reverse("v1:claim-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0] == {
        "field": "start",
        "code": "splits_character",
        "detail": response.json()["errors"][0]["detail"],
    }


def test_api_edit_answers_400_for_an_end_inside_a_character(researcher, article):
    claim = create(researcher, article, 0, len("Tirana"))
    end = TEXT.index(THUMBS_UP) + 1
    response = api(researcher).patch(
        reverse("v1:claim-detail", args=[claim.pk]),
        {"version": claim.version, "end": end, "exact": TEXT[:end]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "end"
    assert response.json()["errors"][0]["code"] == "splits_character"


def test_api_accepts_a_passage_made_of_whole_characters(researcher, article):
    start, end = TEXT.index(FLAG), TEXT.index(" came")
    response = api(researcher).post(
        reverse("v1:claim-list"), payload(article, start, end), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["exact"] == f"{FLAG} said the attack {FAMILY}"


# -- pages -------------------------------------------------------------------------------


def form_data(article, start, end):
    revision = article.current_revision
    claimant = ActorFactory(name="Iran")
    return {
        "revision": revision.pk,
        "start": start,
        "end": end,
        "exact": revision.text[start:end],
        "statement": "Iran denies the attack.",
        "certainty": "denied",
        "claimant": claimant.pk,
        "claimant_label": claimant.name,
        "note": "",
        "intent": "save",
    }


@pytest.mark.parametrize(("cluster", "inner"), INSIDE)
def test_claim_form_shows_the_error_at_the_passage(client, researcher, article, cluster, inner):
    client.force_login(researcher)
    data = form_data(article, *span_starting_inside(TEXT, cluster, inner))
    response = client.post(reverse("claim_create", args=[article.pk]), data)
    assert response.status_code == 200
    assert "inside a character" in response.context["form"].errors["exact"][0]
    assert not Claim.objects.exists()


def test_reattach_form_shows_the_error_at_the_offset(client, researcher):
    claim, text = orphaned_claim(researcher)
    client.force_login(researcher)
    end = text.index(FAMILY) + 2
    response = client.post(
        reverse("claim_reattach", args=[claim.pk]),
        {"version": claim.version, "start": 0, "end": end, "exact": text[:end]},
    )
    assert response.status_code == 200
    assert "inside a character" in response.context["form"].errors["end"][0]
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.ORPHANED
