"""One text as the passes read it: its words, sentences, paragraphs, quotations and the
registry's mentions, with what the passes have found so far, and the vocabulary the
passes share (the confidence each shape gives, the small word lists)."""

from __future__ import annotations

import bisect
from collections.abc import Mapping

from annotations.mentions import MentionIndex
from annotations.suggesting import lexicon
from annotations.suggesting.patterns import (
    Found,
    is_word,
    left_phrase,
    skip_left,
)
from annotations.suggesting.quotes import Quote, find_quotes
from annotations.suggesting.resolution import Mentions
from annotations.suggesting.segments import Tokens, paragraphs, sentences, tokenize
from annotations.suggesting.types import Span
from annotations.suggesting.words import wordset

ACCUSED, DENIER = "accused", "denier"

# How much each shape adds to (or takes from) the cue's own weight.
QUOTE_AFTER, QUOTE_BEFORE, QUOTE_CONTINUED, QUOTE_ORPHAN = 0.95, 0.9, 0.75, 0.55
PREPOSED, POSTPOSED, INVERTED, ACCORDING, PASSIVE, ADJECTIVE = 0.85, 0.9, 0.9, 0.95, 0.8, 0.5
BASE_FORM, PRONOUN_SOURCE, HEADLINE = 0.85, 0.95, 0.8

PASSIVE_AUX = frozenset({"was", "were", "been", "is", "are", "being", "be"})
PROGRESSIVE_AUX = frozenset({"is", "are", "was", "were", "been", "'s", "'re"})
ADDRESSEES = wordset(
    """reporters me him her them us you the a an audience crowd supporters voters
    journalists host viewers listeners members lawmakers congress"""
)
DETERMINERS = wordset(
    """the a an his her its their our my your these those this that new recent media news
    such any some many several"""
)
# Before a noun or an adjective, never before a verb: "its alleged role", "the claims".
ARTICLES = wordset("the a an its his her their our my your")
NOT_PLURAL = frozenset({"his", "its", "this", "was", "is", "has", "us", "as", "does", "yes"})
# After a plural noun rather than a verb: "reports of", "claims about", "charges and".
NOT_AFTER_VERB = wordset("of about and or from by to for , . were are have")
QUOTE_MARKS = frozenset({"\u201c", "\u201d", '"', "'"})
DASHES = frozenset({"\u2015", "\u2014", "\u2013"})
BEFORE_BASE = lexicon.HEDGES | {"will", "did", "does", "do"}
EDITORIAL = wordset("correction clarification update note editor's related watch read photo video")
# "X issued a statement saying …", "X tweeted on Monday saying …".
BEFORE_GERUND = wordset(
    """statement statements tweet tweets post posts letter release video interview remarks
    speech message memo email ad ads monday tuesday wednesday thursday friday saturday
    sunday morning afternoon evening night week weekend"""
)
COLLECTIVE = wordset("police people staff media public military personnel")
TITLE_SMALL = wordset("a an the of for to in on at by and or but as with from")
NESTED_WEIGHT = 0.7
SURE_CUE = 0.9
EVIDENCE_SUBJECT = 16  # words and marks
MAX_CONTENT = 150  # words and marks
MIN_QUOTE_WORDS = 3
ORPHAN_WORDS = 5


class Reading:
    """The state every pass reads and adds to."""

    def __init__(
        self, text: str, index: MentionIndex | None, kinds: Mapping[int, str] | None
    ) -> None:
        self.text = text
        self.tokens: Tokens = tokenize(text)
        self.paragraphs = paragraphs(text)
        self.sentence_spans = sentences(text)
        self.quote_list: list[Quote] = find_quotes(text, self.paragraphs)
        self.mentions = Mentions(
            index.find(text) if index is not None and len(index) else [], kinds
        )
        self.found: list[Found] = []
        self.used: set[int] = set()
        self.in_quote = self._quote_mask()
        starts = self.tokens.starts
        self.sentence_tokens = [
            (bisect.bisect_left(starts, a), bisect.bisect_left(starts, b))
            for a, b in self.sentence_spans
        ]
        self.sentence_starts = [a for a, _ in self.sentence_tokens]
        self.paragraph_starts = [a for a, _ in self.paragraphs]
        self.orphans: list[Quote] = []
        self.paragraph_tokens = [
            (bisect.bisect_left(starts, a), bisect.bisect_left(starts, b))
            for a, b in self.paragraphs
        ]

    # ------------------------------------------------------------------ helpers

    def _quote_mask(self) -> list[bool]:
        mask = [False] * len(self.tokens)
        starts = self.tokens.starts
        for q in self.quote_list:
            i = bisect.bisect_left(starts, q.inner_start)
            j = bisect.bisect_left(starts, q.inner_end)
            for k in range(i, j):
                mask[k] = True
        return mask

    def _token_at(self, position: int) -> int:
        return bisect.bisect_left(self.tokens.starts, position)

    def _sentence_of(self, token: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.sentence_starts, token) - 1
        return self.sentence_tokens[max(k, 0)]

    def _paragraph_of(self, position: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, position) - 1

    def _starts_sentence(self, token: int) -> bool:
        k = bisect.bisect_left(self.sentence_starts, token)
        return k < len(self.sentence_starts) and self.sentence_starts[k] == token

    def _cue_at(self, i: int, ceiling: int) -> tuple[lexicon.Cue, int] | None:
        """The cue starting at token `i` and the token after it, if any."""
        low = self.tokens.lower[i]
        for rest, entry in lexicon.PHRASES.get(low, ()):
            n = len(rest)
            if tuple(self.tokens.lower[i + 1 : i + 1 + n]) == rest and i + n < ceiling:
                return entry, i + 1 + n
        entry = lexicon.CUES.get(low)
        if entry is None:
            return None
        return entry, i + 1

    def _base_form_ok(self, i: int, floor: int) -> bool:
        """ "officials say", "we believe": a base form after a plural or personal subject."""
        j, _ = skip_left(self.tokens, i, floor)
        if j < floor:
            return False
        if any(self.tokens.lower[k] in BEFORE_BASE for k in range(j + 1, i)):
            return True  # "Rama might say", "Iran did deny"
        low = self.tokens.lower[j]
        if low in {"they", "we", "you"} or low in COLLECTIVE:
            return True
        phrase = left_phrase(self.tokens, j, floor)
        if (
            phrase is not None
            and phrase[0] - 1 >= floor
            and self.tokens.lower[phrase[0] - 1] == "and"
        ):
            return True  # "Mr. Grassley and Mr. Leahy say"
        return (
            low.endswith("s")
            and not low.endswith("'s")
            and low not in NOT_PLURAL
            and is_word(self.tokens.words[j])
        )


def has_words(tokens: Tokens, span: tuple[int, int], count: int) -> bool:
    """Whether `span` holds at least `count` words (looking no further than needed)."""
    for k in range(*span):
        if is_word(tokens.words[k]):
            count -= 1
            if not count:
                return True
    return False


def overlaps(content: tuple[Span, ...], excluded: list[tuple[int, int]]) -> bool:
    return any(s < span.end and span.start < e for span in content for s, e in excluded)
