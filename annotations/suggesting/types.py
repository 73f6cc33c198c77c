"""What the suggestion engine returns: PARC's source, cue and content triple, resolved.

Offsets are code points into the text the engine was given, `end` exclusive, as claim
anchors count them. Everything is frozen and hashable so callers can key on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` (code points, end exclusive)."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class SuggestedActor:
    """A further actor the cue puts in a role ("accused Iran": Iran, `accused`)."""

    actor_id: int
    role: str  # one of annotations.models.ActorRole's values


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested attribution.

    `content` is the attributed passage, one or more fragments in text order (a quote
    interrupted by "he said" is two). `cue` is the reporting word or phrase, `source` the
    span naming the speaker (a pronoun included); either may be missing. `claimant_id` is
    the registry actor the source resolves to, or None when no actor matches, in which
    case `claimant_text` holds the words to create one from. `certainty` is one of
    annotations.models.Certainty's values, derived from the cue.
    """

    content: tuple[Span, ...]
    cue: Span | None
    source: Span | None
    claimant_id: int | None
    claimant_text: str
    certainty: str
    actors: tuple[SuggestedActor, ...]
    confidence: float

    @property
    def start(self) -> int:
        return self.content[0].start

    @property
    def end(self) -> int:
        return self.content[-1].end

    def key(self, text: str) -> str:
        """A stable name for this suggestion in this text: the content's offsets and words.
        Dismissals are remembered under it, so a revised text whose passage moved or
        changed brings the suggestion back rather than hiding a different one."""
        parts = [f"{s.start}:{s.end}:{s.of(text)}" for s in self.content]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
