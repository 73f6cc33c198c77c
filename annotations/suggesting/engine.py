"""`suggest`: the attributions a text announces, found by rules and resolved against the
actor registry.

The passes, in order, each a module over the shared `reading.Reading` of the text:
1. `quoted`: direct quotations and their speakers;
2. `reported`: each sentence's reporting words outside quotations, in the shapes of
   `patterns`, then allegations by adjective ("for its alleged role") in sentences with
   nothing else, and quotations left without a speaker (`quoted`);
3. `building`: speakers resolved to actors (`resolution`), certainty and roles from the
   cue (`lexicon`), passages the caller excludes (already claims) left out, duplicates
   merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from annotations.mentions import MentionIndex
from annotations.suggesting.building import Building
from annotations.suggesting.quoted import QuotedSpeech
from annotations.suggesting.reported import ReportedSpeech
from annotations.suggesting.types import Span, Suggestion


def suggest(
    text: str,
    index: MentionIndex | None,
    kinds: Mapping[int, str] | None = None,
    *,
    exclude: Iterable[Span | tuple[int, int]] = (),
) -> list[Suggestion]:
    """The attributions `text` announces, by position.

    `index` is the actor registry's `MentionIndex` (None or empty: no actor resolves, each
    suggestion carries its speaker's words), `kinds` maps actor id to actor kind for
    pronouns. No suggestion's content overlaps a span of `exclude` (passages already
    claimed).
    """
    if not text or not text.strip():
        return []
    finder = _Finder(text, index, kinds)
    finder.quotes()
    finder.sentences()
    finder.orphan_quotes()
    finder.adjectives()
    excluded = sorted(
        (s.start, s.end) if isinstance(s, Span) else (int(s[0]), int(s[1])) for s in exclude
    )
    return finder.build(excluded)


class _Finder(QuotedSpeech, ReportedSpeech, Building):
    """Every pass over one text, sharing one reading of it."""


__all__ = ["suggest"]
