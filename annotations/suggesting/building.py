"""From what the passes found to `Suggestion`s: nested weak stances dropped, speakers
resolved to actors (`resolution`), certainty and roles from the cue, passages the caller
excludes left out, duplicates merged."""

from __future__ import annotations

import bisect

from annotations.suggesting import lexicon, pronouns
from annotations.suggesting.patterns import (
    Found,
    chars,
    left_phrase,
)
from annotations.suggesting.reading import (
    ACCUSED,
    DENIER,
    DETERMINERS,
    NESTED_WEIGHT,
    PRONOUN_SOURCE,
    Reading,
    overlaps,
)
from annotations.suggesting.types import Span, SuggestedActor, Suggestion


class Building(Reading):
    def build(self, excluded: list[tuple[int, int]]) -> list[Suggestion]:
        text = self.text
        found = sorted(self._not_nested(), key=lambda f: (f.content[0][0], -f.confidence))
        suggestions: list[Suggestion] = []
        seen: set[tuple] = set()
        last_named = ""
        last_named_at = -1
        by_source = sorted((f.source[0], n) for n, f in enumerate(found) if f.source is not None)
        named_before: dict[int, str] = {}
        for position, n in by_source:
            f = found[n]
            words = text[f.source[0] : f.source[1]]
            if pronouns.is_pronoun(words):
                named_before[n] = last_named if last_named_at < position else ""
            else:
                last_named, last_named_at = words, position
        for n, f in enumerate(found):
            content = tuple(Span(s, e) for s, e in f.content)
            key = tuple(f.content)
            if key in seen or overlaps(content, excluded):
                continue
            seen.add(key)
            claimant_id, claimant_text, confidence = self._claimant(f, named_before.get(n, ""))
            certainty = f.entry.certainty
            if f.hedged and certainty == lexicon.ASSERTED:
                certainty = lexicon.SPECULATED
            actors = self._roles(f, claimant_id)
            suggestions.append(
                Suggestion(
                    content=content,
                    cue=Span(*f.cue) if f.cue else None,
                    source=Span(*f.source) if f.source else None,
                    claimant_id=claimant_id,
                    claimant_text=claimant_text,
                    certainty=certainty,
                    actors=actors,
                    confidence=round(min(1.0, f.entry.weight * f.confidence * confidence), 2),
                )
            )
        return suggestions

    def _not_nested(self) -> list[Found]:
        """Leave out a weak stance inside another attribution's content ("Scott said he
        plans to …": "he plans" is part of Scott's report, not a second one)."""
        contents = sorted(span for f in self.found for span in f.content)
        starts = [a for a, _ in contents]
        kept = []
        for f in self.found:
            if f.entry.weight < NESTED_WEIGHT and f.cue is not None and f.source is not None:
                k = bisect.bisect_right(starts, f.cue[0]) - 1
                if k >= 0 and contents[k][1] >= f.cue[1] and contents[k] not in f.content:
                    continue
            kept.append(f)
        return kept

    def _claimant(self, f: Found, named_before: str) -> tuple[int | None, str, float]:
        if f.source is None:
            return None, "", 0.8
        start, end = f.source
        words = self.text[start:end]
        if pronouns.is_pronoun(words):
            actor = self.mentions.before(start, words)
            return actor, (named_before or words) if actor is None else "", PRONOUN_SOURCE
        if words.lower() == "who":
            # "an architect who said …": the speaker is the phrase the pronoun stands for.
            j = self._token_at(start) - 1
            if j >= 0 and self.tokens.words[j] == ",":
                j -= 1
            phrase = left_phrase(self.tokens, j, self._sentence_of(max(j, 0))[0])
            if phrase is None:
                return None, words, PRONOUN_SOURCE
            a, b = phrase
            determiners = [k for k in range(a, b) if self.tokens.lower[k] in DETERMINERS]
            if determiners:
                a = determiners[-1]  # "pay an architect who said": an architect
            start, end = chars(self.tokens, (a, b))
            words = self.text[start:end]
        actor = self.mentions.named_in(start, end)
        return actor, words if actor is None else "", 1.0

    def _roles(self, f: Found, claimant_id: int | None) -> tuple[SuggestedActor, ...]:
        roles: dict[int, str] = {}
        for start, end in f.accused:
            for mention in self.mentions.inside(start, end):
                roles.setdefault(mention.actor_id, ACCUSED)
        for start, end in f.content:
            for held in self._behind(start, end):
                roles.setdefault(held, ACCUSED)
        roles.pop(claimant_id, None)
        out = [SuggestedActor(actor_id, role) for actor_id, role in roles.items()]
        if f.entry.behaviour == lexicon.DENY and claimant_id is not None:
            out.append(SuggestedActor(claimant_id, DENIER))
        return tuple(out)

    def _behind(self, start: int, end: int) -> list[int]:
        """Actors named just before "was behind" / "is responsible" in a passage."""
        tokens = self.tokens
        i = self._token_at(start)
        j = self._token_at(end)
        held = []
        for k in range(i + 1, j - 1):
            if (tokens.lower[k], tokens.lower[k + 1]) in lexicon.BEHIND:
                phrase = left_phrase(tokens, k - 1, i)
                if phrase is not None:
                    held.extend(m.actor_id for m in self.mentions.inside(*chars(tokens, phrase)))
        return held
