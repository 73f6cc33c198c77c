"""The suggestion engine: machine-found attributions (who says what) in a news text.

Pure package: no ORM, no settings, no network, no model downloaded at run time. Callers
pass the text and the actor registry's `MentionIndex` (with each actor's kind, so that a
pronoun resolves only to a compatible actor) and get `Suggestion`s back; storing,
counting, dismissing and accepting them is the callers' business (services and jobs).

`suggest` is the entry point; `types` holds the shapes every caller shares.
"""

from annotations.suggesting.engine import suggest
from annotations.suggesting.types import Span, SuggestedActor, Suggestion

__all__ = ["Span", "SuggestedActor", "Suggestion", "suggest"]
