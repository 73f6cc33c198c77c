"""The audit trail: one append-only `ClaimEvent` per change, written by the services."""

from __future__ import annotations

from typing import Any

from annotations.models import Claim, ClaimEvent


def claim_snapshot(claim: Claim) -> dict[str, Any]:
    """What a claim asserts, as plain JSON values: the 'before' and 'after' of an edit.

    Reads `actor_links` and `source_links`; callers that snapshot many claims prefetch them.
    """
    return {
        "start": claim.start,
        "end": claim.end,
        "exact": claim.exact,
        "statement": claim.statement,
        "claimant": claim.claimant_id,
        "certainty": claim.certainty,
        "actors": sorted([link.actor_id, link.role] for link in claim.actor_links.all()),
        "sources": sorted(
            [link.source_id, link.locator, link.note] for link in claim.source_links.all()
        ),
        "note": claim.note,
        **marked_span_snapshot(claim),
    }


def marked_span_snapshot(claim: Claim) -> dict[str, Any]:
    """The cue and source mention as `[start, end, exact]` or None, keyed by public name:
    an edit's `changes` then read `{"cue": [[40, 44, "said"], null]}`."""
    return {
        name: list(span) if (span := claim.marked_span(name)) else None
        for name in Claim.MARKED_SPANS
    }


def diff_snapshots(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [before.get(key), after[key]] for key in after if before.get(key) != after[key]}


def record_event(
    *,
    claim: Claim,
    kind: str,
    user=None,
    from_status: str = "",
    to_status: str = "",
    changes: dict | None = None,
    data: dict | None = None,
) -> ClaimEvent:
    return ClaimEvent.objects.create(
        claim_id=claim.pk,
        kind=kind,
        actor=user if user is not None and user.is_authenticated else None,
        from_status=from_status,
        to_status=to_status or from_status,
        version=claim.version,
        changes=changes or {},
        data=data or {},
    )
