"""Reads, one named selector per question, shared by the pages and the API.

`claims` (what a user may see of claims, the review queue), `articles` (the article list
with its claim counts, anchor-state counts, the passage in context), `actors` (ranked
search with aliases, suggestions), `sources` (source search), `duplicates` (likely
duplicate actors), `registry_claims` (an actor's or a source's claims). The claim
selectors are importable from here, where most callers want them.
"""

from annotations.selectors.claims import (
    apply_claim_filters,
    claim_list,
    claims_visible_to,
    review_queue,
    review_queue_count,
    verified_claims,
    with_details,
)

__all__ = [
    "apply_claim_filters",
    "claim_list",
    "claims_visible_to",
    "review_queue",
    "review_queue_count",
    "verified_claims",
    "with_details",
]
