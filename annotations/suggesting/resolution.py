"""From the words naming a speaker to a registry actor, and actors into roles.

A source span resolves to the last actor the registry finds inside it ("Albanian Prime
Minister Edi Rama": Edi Rama, not Albania). A pronoun resolves to the last actor named
before it whose kind fits the pronoun ("he" skips Iran for Rama). When nothing matches,
the suggestion carries the words themselves (for a pronoun, the last named speaker's), so
the researcher can create the actor.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping

from annotations.mentions import Mention
from annotations.suggesting import pronouns


class Mentions:
    """The registry's mentions in one text, searchable by position."""

    def __init__(self, found: list[Mention], kinds: Mapping[int, str] | None) -> None:
        self.found = found
        self.starts = [m.start for m in found]
        self.kinds = kinds or {}

    def inside(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.found) and self.found[i].start < end:
            if self.found[i].end <= end:
                out.append(self.found[i])
            i += 1
        return out

    def named_in(self, start: int, end: int) -> int | None:
        """The actor a speaker phrase names: the last one found inside it."""
        inside = self.inside(start, end)
        return inside[-1].actor_id if inside else None

    def before(self, position: int, pronoun: str, floor: int = 0) -> int | None:
        """The last actor named before `position` whose kind fits `pronoun`."""
        i = bisect.bisect_left(self.starts, position) - 1
        while i >= 0 and self.found[i].start >= floor:
            mention = self.found[i]
            if mention.end <= position and pronouns.compatible(
                pronoun, self.kinds.get(mention.actor_id)
            ):
                return mention.actor_id
            i -= 1
        return None
