"""Re-anchoring a long article with many claims stays fast."""

import time

from annotations.anchoring.selection import CONTEXT
from annotations.models import AnchorState, Claim, ClaimEvent, ClaimStatus, EventKind
from annotations.services.revisions import article_revise
from tests.annotations.revisions.conftest import code_word
from tests.factories import ActorFactory, ArticleFactory

CLAIMS = 1000


def test_thousand_claims_on_a_long_article_reanchor_well_under_a_second(researcher):
    words = [code_word(i) for i in range(CLAIMS)]
    paragraphs = [
        f"Paragraph {i}: minister {word} said the attack on service {i} was planned abroad, "
        f"and officials confirmed it."
        for i, word in enumerate(words)
    ]
    text = "\n\n".join(paragraphs)
    assert len(text) >= 100_000
    article = ArticleFactory(text=text)
    revision = article.revisions.get()
    claimant = ActorFactory()
    claims = []
    for i, word in enumerate(words):
        exact = f"minister {word} said"
        start = text.index(exact)
        end = start + len(exact)
        claims.append(
            Claim(
                article=article,
                project_id=article.project_id,
                revision=revision,
                start=start,
                end=end,
                exact=exact,
                prefix=text[max(0, start - CONTEXT) : start],
                suffix=text[end : end + CONTEXT],
                statement=f"Claim {i}",
                claimant=claimant,
                author=researcher,
                status=ClaimStatus.APPROVED if i % 2 else ClaimStatus.DRAFT,
            )
        )
    Claim.objects.bulk_create(claims)
    paragraphs[10] = paragraphs[10].replace(" said ", " stated ")
    paragraphs[11] = paragraphs[11].replace(" said ", " says ")
    del paragraphs[500]
    new_text = "An editor's note opens the article now.\n\n" + "\n\n".join(paragraphs)

    # The best of three revisions: the machine running the tests may be busy.
    timings = []
    for number in range(3):
        began = time.perf_counter()
        result = article_revise(user=researcher, article_id=article.pk, text=new_text)
        timings.append(time.perf_counter() - began)
        assert result.touched == CLAIMS
        if number == 0:
            first = result
        new_text = f"Correction {number + 1}.\n\n" + new_text

    assert min(timings) < 1.0, f"re-anchoring took {min(timings):.2f} s at best"
    assert first.counts[AnchorState.ORPHANED] == 1
    assert first.counts[AnchorState.FUZZY] == 2
    assert first.counts[AnchorState.MOVED] == CLAIMS - 3
    # The approved one of the two fuzzy claims is back in review.
    assert first.resubmitted == 1
    assert ClaimEvent.objects.filter(kind=EventKind.REANCHORED).count() == 3 * CLAIMS
    assert Claim.objects.filter(article=article, version=4).count() == CLAIMS
