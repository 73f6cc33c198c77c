"""Short ways to take a claim through the workflow in tests, each from the claim as the
database holds it now (so a test need not carry versions along)."""

from annotations.models import Claim
from annotations.services.claims import claim_submit, claim_update
from annotations.services.reviews import review_decide
from annotations.services.revisions import article_revise, claim_reattach

DECISION_INPUT = {
    "approve": {},
    "reject": {"reason": "misattributed", "comment": "Not what the source says."},
    "request_changes": {"comment": "Name the ministry that said it."},
}


def fresh(claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def decide(user, claim, decision="approve", **extra) -> Claim:
    claim = fresh(claim)
    return review_decide(
        user=user,
        claim_id=claim.pk,
        version=claim.version,
        decision=decision,
        **{**DECISION_INPUT[decision], **extra},
    )


def submit(author, claim) -> Claim:
    return claim_submit(user=author, claim_id=claim.pk, version=fresh(claim).version)


def edit(author, claim, **fields) -> Claim:
    return claim_update(user=author, claim_id=claim.pk, version=fresh(claim).version, **fields)


def revise(user, claim, change) -> Claim:
    """Give the claim's article the text `change(text)`; the claim as re-anchored."""
    claim.article.refresh_from_db()
    article_revise(user=user, article_id=claim.article_id, text=change(claim.article.text))
    return fresh(claim)


def reattach(user, claim, passage) -> Claim:
    """Re-attach the claim to the first `passage` of its article's current text."""
    claim = fresh(claim)
    start = claim.article.revisions.order_by("-number").first().text.index(passage)
    return claim_reattach(
        user=user,
        claim_id=claim.pk,
        version=claim.version,
        start=start,
        end=start + len(passage),
        exact=passage,
    )
