"""Properties of revising a text with claims on it, over edits hypothesis makes up."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotations.models import AnchorState, Claim, ClaimEvent
from annotations.services.revisions import article_revise
from articles.cleaning import normalise_text
from claimdesk.errors import InvalidInput
from tests.factories import ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

BASE = (
    "Albania's prime minister Edi Rama said an investigation had shown the Iranian state "
    "was behind the July cyberattacks on government services.\n\n"
    "Tehran rejected the accusation as baseless and said Iran had never attacked Albania.\n\n"
    "Washington announced sanctions on Iran's Ministry of Intelligence for its alleged role."
)
QUOTES = (
    "the Iranian state was behind the July cyberattacks",
    "Tehran rejected the accusation",
    "sanctions on Iran's Ministry of Intelligence",
)
PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# An edit: what, where (as a fraction of the text), how long, and the new words.
edits = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=1, max_value=80),
    st.text(alphabet="abcdefgh XYZ.,\n", max_size=40),
)


def apply_edit(text: str, edit) -> str:
    kind, where, length, words = edit
    at = int(where * len(text))
    if kind == "insert":
        return text[:at] + words + text[at:]
    if kind == "delete":
        return text[:at] + text[at + length :]
    return text[:at] + words + text[at + length :]


def claims_on_fresh_article(author):
    article = ArticleFactory(text=BASE)
    for quote in QUOTES:
        make_claim(author=author, article=article, exact=quote)
    return article


@PROPERTY_SETTINGS
@given(steps=st.lists(edits, min_size=1, max_size=5))
def test_no_sequence_of_edits_deletes_a_claim_or_loses_its_quote(researcher, steps):
    article = claims_on_fresh_article(researcher)
    claim_ids = set(Claim.objects.filter(article=article).values_list("id", flat=True))
    events = ClaimEvent.objects.filter(claim_id__in=claim_ids)
    text = BASE
    for step in steps:
        text = apply_edit(text, step)
        before = events.count()
        try:
            result = article_revise(user=researcher, article_id=article.pk, text=text)
        except InvalidInput:
            assert not normalise_text(text).strip()
            continue
        claims = list(Claim.objects.filter(article=article).select_related("revision"))
        assert {claim.pk for claim in claims} == claim_ids
        for claim in claims:
            assert claim.exact
            # Orphaned or not, the claim's quote is where its offsets say in its revision.
            assert claim.revision.text[claim.start : claim.end] == claim.exact
            if claim.anchor_state != AnchorState.ORPHANED:
                assert claim.revision_id == result.revision.pk
        expected = before + (len(claim_ids) if result.changed else 0)
        assert events.count() == expected
    # The quote each claim was made with is still in its audit trail.
    made_with = {event.changes["exact"][1] for event in events.filter(kind="created")}
    assert made_with == set(QUOTES)


@PROPERTY_SETTINGS
@given(
    inserts=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1), st.text(alphabet="0123456789 ", max_size=12)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_edits_outside_a_quote_keep_it_anchored_or_moved_at_its_place(researcher, inserts):
    article = ArticleFactory(text=BASE)
    quote = QUOTES[1]
    claim = make_claim(author=researcher, article=article, exact=quote)
    text = BASE
    for where, digits in inserts:
        start = text.index(quote)
        # Anywhere before or after the quote, never inside it.
        at = int(where * (len(text) - len(quote)))
        at = at if at <= start else at + len(quote)
        text = text[:at] + digits + text[at:]
    assume(normalise_text(text) != normalise_text(BASE))

    result = article_revise(user=researcher, article_id=article.pk, text=text)

    claim.refresh_from_db()
    assert claim.anchor_state in {AnchorState.ANCHORED, AnchorState.MOVED}
    assert claim.start == result.revision.text.index(quote)
    assert result.revision.text[claim.start : claim.end] == quote
