"""Find known actors' names and aliases in a text.

Pure module: no ORM, no settings. The caller builds a `MentionIndex` from `(actor_id, name)`
pairs (every actor's name and every alias) and keeps it for as long as the registry does not
change; `find` and `find_near` then run in time linear in the text.

Matching rules
--------------
- **Folding.** Names and text are compared after `fold_for_matching`, which applies the one
  text fold of `annotations.text` (the rule actor search uses too) character by character:
  no case, no accents, "ø" is "o", every apostrophe is "'", other punctuation and white
  space are one space ("Al-Qaeda" is "al qaeda"), invisible format characters dropped.
- **Offsets.** Folding changes lengths, so the folded text carries, for each folded
  character, the original code-point range it came from. Mentions are reported in original
  code points (as the W3C TextPositionSelector counts, like claim anchors). A match never
  splits an original character: "s" never matches half of a "ß", while "Strasse" matches
  "Straße" whole. Combining marks after the last matched letter belong to the mention.
- **Word boundaries.** The folded characters just before and just after a match must not be
  letters, digits or "_": "Iran" is not found in "Iranian" or "Irani".
- **Possessives.** "Iran's", with either apostrophe, mentions "Iran": the span covers the
  name only, not the "'s" (the apostrophe is a boundary). A name that itself holds an
  apostrophe ("Iran's Ministry of Intelligence") matches with either apostrophe.
- **Overlaps.** Leftmost-longest, non-overlapping: among overlapping matches the one that
  starts first wins, and of those starting at the same place the longest. In "Iran's Ministry
  of Intelligence" that name wins over "Iran" and over "Ministry of Intelligence". Matches
  that touch without overlapping are all kept.
- **Ambiguity is visible.** A folded name registered for several actors ("Tirana" for the
  Albanian government and for the city) gives one `Mention` per actor at the same span, in
  the order the actors were first registered under that name. An actor appears once per span
  even when two of its names fold alike ("Tiranë", "Tirane"); the first registered is
  reported.
- **Acronyms.** A name written entirely in capitals ("US", "UN", "IRGC") does not match text
  written entirely in lower case, so the pronoun "us" and the French "un" are not taken for
  actors; "NATO" still matches "Nato".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from annotations.text import fold, fold_char

__all__ = ["FoldedText", "Mention", "MentionIndex", "fold_for_matching", "match_key"]


class _FoldTable(dict):
    """Folded piece of each character seen so far: a string, or None for a combining mark
    (it joins the previous folded character's original range and adds nothing)."""

    def __missing__(self, ch: str) -> str | None:
        piece = self[ch] = fold_char(ch)
        return piece


# These grow with the distinct characters seen, at most the size of Unicode.
_FOLD = _FoldTable()
_SPACE_RUN = re.compile(" {2,}")
_HAS_WORD = re.compile(r"[^\W_]")


class FoldedText(NamedTuple):
    """A folded text and, for each of its characters, the original range it came from.

    `text[k]` came from `original[starts[k]:ends[k]]`. Characters that fold to several
    ("ß" → "ss") share one range; `ends[k]` also covers combining marks that follow.
    """

    text: str
    starts: list[int]
    ends: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the folded range `[start, end)` (non-empty) to original code points."""
        return self.starts[start], self.ends[end - 1]


def fold_for_matching(text: str) -> FoldedText:
    """Fold `text` as names are folded, keeping the map back to original offsets."""
    pieces = list(map(_FOLD.__getitem__, text))
    if None in pieces or "" in pieces:
        return _fold_pieces(pieces)
    joined = "".join(pieces)
    if len(joined) != len(text):
        return _fold_pieces(pieces)
    # The usual case, every character folds to exactly one: only runs of spaces shrink.
    runs = list(_SPACE_RUN.finditer(joined))
    if not runs:
        return FoldedText(joined, list(range(len(joined))), list(range(1, len(joined) + 1)))
    starts: list[int] = []
    kept = 0
    for run in runs:
        starts.extend(range(kept, run.start() + 1))
        kept = run.end()
    starts.extend(range(kept, len(joined)))
    return FoldedText(_SPACE_RUN.sub(" ", joined), starts, [i + 1 for i in starts])


def _fold_pieces(pieces: list[str | None]) -> FoldedText:
    """The general case of `fold_for_matching`, one original character at a time."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = ""
    for i, piece in enumerate(pieces):
        if piece is None:
            if ends:
                ends[-1] = i + 1
            continue
        for c in piece:
            if c == " " and last == " ":
                continue
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
            last = c
    return FoldedText("".join(out), starts, ends)


def match_key(name: str) -> str:
    """The folded form under which a name is looked up ("Tiranë " → "tirane"): the one
    text fold, `annotations.text.fold`."""
    return fold(name)


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


@dataclass(frozen=True, slots=True)
class Mention:
    """One actor named in a text: `text[start:end] == matched` (code points)."""

    actor_id: int
    start: int
    end: int
    matched: str
    name: str  # the registered name or alias that matched


# Sentence breaks for `find_near`: terminal punctuation (with closing quotes or brackets)
# followed by white space, or a line break. Abbreviations ("U.S. officials") end a sentence
# early; that only narrows the suggestions.
_SENTENCE_BREAK = re.compile(r"[.!?\u2026]+[\"'\u2019\u201d)\]]*\s+|\n+")
_MAX_SENTENCE = 2_000
_SPACE = re.compile(r"\s")


class MentionIndex:
    """An Aho-Corasick automaton over every folded name and alias of the actor registry.

    Build it once per registry version with `MentionIndex.build`; it is read-only afterwards
    and safe to share between threads.
    """

    def __init__(self, automaton: ahocorasick.Automaton | None, size: int) -> None:
        self._automaton = automaton
        self._size = size

    def __len__(self) -> int:
        """Number of distinct folded names."""
        return self._size

    @classmethod
    def build(cls, entries: Iterable[tuple[int, str]]) -> MentionIndex:
        """Index `(actor_id, name_or_alias)` pairs. Names that fold to no letter or digit
        (empty, only punctuation) are skipped."""
        # key -> [(actor_id, name, acronym)], in registration order.
        by_key: dict[str, list[tuple[int, str, bool]]] = {}
        position: dict[tuple[str, int], int] = {}
        with_acronym: set[str] = set()
        for actor_id, name in entries:
            key = match_key(name)
            if not _HAS_WORD.search(key):
                continue
            acronym = name.isupper()
            if acronym:
                with_acronym.add(key)
            found = by_key.setdefault(key, [])
            at = position.setdefault((key, actor_id), len(found))
            if at == len(found):
                found.append((actor_id, name, acronym))
            elif found[at][2] and not acronym:
                # Two names of one actor fold alike: report the first, match as the laxer.
                found[at] = (actor_id, found[at][1], False)
        if not by_key:
            return cls(None, 0)
        automaton = ahocorasick.Automaton()
        for key, found in by_key.items():
            automaton.add_word(key, (len(key), tuple(found), key in with_acronym))
        automaton.make_automaton()
        return cls(automaton, len(by_key))

    def find(self, text: str) -> list[Mention]:
        """Every actor mention in `text`, by start offset (see the module's rules)."""
        if self._automaton is None or not text:
            return []
        folded = fold_for_matching(text)
        ftext, starts, ends = folded
        n = len(ftext)
        # Selected matches so far, non-overlapping and ordered; each is
        # (folded start, folded end, original start, original end, entries).
        chosen: list[tuple[int, int, int, int, tuple]] = []
        # `iter` reports matches by increasing end. So a new match can only overlap the last
        # few chosen ones; it beats one of them when it starts earlier, or at the same place
        # (it is then longer); if it beats them all, it also beats every match they had beaten
        # (those start no earlier and end no later): one pass, nothing to resort or revisit.
        for last, (length, entries, acronym) in self._automaton.iter(ftext):
            end = last + 1
            start = end - length
            if start > 0 and (_is_word(ftext[start - 1]) or starts[start - 1] == starts[start]):
                continue
            if end < n and (_is_word(ftext[end]) or starts[end] == starts[last]):
                continue
            o_start, o_end = starts[start], ends[last]
            if acronym and text[o_start:o_end].islower():
                entries = tuple(e for e in entries if not e[2])
                if not entries:
                    continue
            j = len(chosen)
            while j and chosen[j - 1][1] > start:
                if chosen[j - 1][0] < start:
                    break
                j -= 1
            else:
                del chosen[j:]
                chosen.append((start, end, o_start, o_end, entries))
        return [
            Mention(actor_id, o_start, o_end, text[o_start:o_end], name)
            for _, _, o_start, o_end, entries in chosen
            for actor_id, name, _ in entries
        ]

    def find_near(self, text: str, start: int, end: int) -> list[int]:
        """Actor ids mentioned in `text[start:end]` and the sentence(s) around it.

        The window runs from the start of the sentence holding `start` to the end of the
        sentence holding the last selected character other than white space; with no
        sentence break within 2,000 characters it stops at the last white space before that
        distance, so no word is cut. Ids are unique, ordered by first appearance in the
        window. Raises ValueError unless `0 <= start <= end <= len(text)`.
        """
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"invalid range [{start}, {end}) for a text of {len(text)}")
        lo = max(0, start - _MAX_SENTENCE)
        window_start = 0
        if lo:
            # Cut at a space, not inside a word that could then look like a name.
            space = _SPACE.search(text, lo - 1, start)
            window_start = space.end() if space else start
        for m in _SENTENCE_BREAK.finditer(text, lo, start):
            window_start = m.end()
        last = end - 1
        while last > start and text[last].isspace():
            last -= 1
        last = max(start, last)
        hi = last + _MAX_SENTENCE
        window_end = len(text)
        if hi < len(text):
            spaces = [m.start() for m in _SPACE.finditer(text, end, hi + 1)]
            window_end = spaces[-1] if spaces else end
        brk = _SENTENCE_BREAK.search(text, last, hi)
        if brk:
            window_end = brk.end()
        found = self.find(text[window_start:window_end])
        return list(dict.fromkeys(mention.actor_id for mention in found))
