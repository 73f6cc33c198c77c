"""`suggest`: the attributions a text announces, found by rules and resolved against the
actor registry.

The passes, in order:
1. direct quotations, with their speaker after ("…,” said Lapid / he said) or before
   (Lapid said: “…”), a quotation interrupted by its speaker as one content of two
   fragments, and a paragraph's quotation continuing the previous paragraph's;
2. each sentence's reporting words outside quotations (`patterns`);
3. allegations by adjective ("for its alleged role") in sentences with nothing else.
Then each speaker is resolved (`resolution`), certainty and roles follow from the cue,
passages the caller excludes (already claims) are dropped, and duplicates merged.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping

from annotations.mentions import MentionIndex
from annotations.suggesting import lexicon, pronouns
from annotations.suggesting.patterns import (
    SENTENCE_END,
    TRAILING,
    Found,
    abbreviation,
    after_is_trailing,
    capitalised,
    chars,
    is_word,
    left_phrase,
    right_phrase,
    skip_left,
    speaker_like,
    subject_phrase,
    trim_content,
)
from annotations.suggesting.quotes import Quote, find_quotes
from annotations.suggesting.resolution import Mentions
from annotations.suggesting.segments import Tokens, paragraphs, sentences, tokenize
from annotations.suggesting.types import Span, SuggestedActor, Suggestion
from annotations.suggesting.words import wordset

ACCUSED, DENIER = "accused", "denier"

# How much each shape adds to (or takes from) the cue's own weight.
QUOTE_AFTER, QUOTE_BEFORE, QUOTE_CONTINUED, QUOTE_ORPHAN = 0.95, 0.9, 0.75, 0.55
PREPOSED, POSTPOSED, INVERTED, ACCORDING, PASSIVE, ADJECTIVE = 0.85, 0.9, 0.9, 0.95, 0.8, 0.5
BASE_FORM, PRONOUN_SOURCE, HEADLINE = 0.85, 0.95, 0.8

_PASSIVE_AUX = frozenset({"was", "were", "been", "is", "are", "being", "be"})
_ADDRESSEES = wordset(
    """reporters me him her them us you the a an audience crowd supporters voters
    journalists host viewers listeners members lawmakers congress"""
)
_DETERMINERS = wordset(
    """the a an his her its their our my your these those this that new recent media news
    such any some many several"""
)
_NOT_PLURAL = frozenset({"his", "its", "this", "was", "is", "has", "us", "as", "does", "yes"})
# After a plural noun rather than a verb: "reports of", "claims about", "charges and".
_NOT_AFTER_VERB = wordset("of about and or from by to for , . were are have")
QUOTE_MARKS = frozenset({"\u201c", "\u201d", '"', "'"})
_DASHES = frozenset({"\u2015", "\u2014", "\u2013"})
_BEFORE_BASE = lexicon.HEDGES | {"will", "did", "does", "do"}
_EDITORIAL = wordset("correction clarification update note editor's related watch read photo video")
# "X issued a statement saying …", "X tweeted on Monday saying …".
_BEFORE_GERUND = wordset(
    """statement statements tweet tweets post posts letter release video interview remarks
    speech message memo email ad ads monday tuesday wednesday thursday friday saturday
    sunday morning afternoon evening night week weekend"""
)
_COLLECTIVE = wordset("police people staff media public military personnel")
_TITLE_SMALL = wordset("a an the of for to in on at by and or but as with from")
_MIN_QUOTE_WORDS = 3
_ORPHAN_WORDS = 5


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


class _Finder:
    def __init__(self, text: str, index: MentionIndex | None, kinds) -> None:
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
        if any(self.tokens.lower[k] in _BEFORE_BASE for k in range(j + 1, i)):
            return True  # "Rama might say", "Iran did deny"
        low = self.tokens.lower[j]
        if low in {"they", "we", "you"} or low in _COLLECTIVE:
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
            and low not in _NOT_PLURAL
            and is_word(self.tokens.words[j])
        )

    # ------------------------------------------------------------------ quotes

    def quotes(self) -> None:
        previous: Found | None = None
        previous_quote: Quote | None = None
        skip: set[int] = set()
        for number, q in enumerate(self.quote_list):
            if number in skip:
                continue
            if q.words(self.text) < _MIN_QUOTE_WORDS:
                previous, previous_quote = None, q
                continue
            p_start, p_end = self.paragraph_tokens[q.paragraph]
            open_token = self._token_at(q.open)
            close_token = self._token_at(q.close - 1) if not q.continues else p_end
            found = self._speaker_after(q, close_token, p_end, number, skip)
            if found is None:
                found = self._speaker_before(q, open_token, close_token, p_start)
            if (
                found is None
                and previous is not None
                and previous_quote is not None
                and previous_quote.continues
                and q.opens_paragraph
                and q.paragraph == previous_quote.paragraph + 1
            ):
                found = Found(
                    content=[(q.inner_start, q.inner_end)],
                    cue=previous.cue,
                    source=previous.source,
                    entry=previous.entry,
                    confidence=QUOTE_CONTINUED,
                )
            if (
                found is None
                and previous is not None
                and previous_quote is not None
                and q.paragraph == previous_quote.paragraph
                and self._starts_sentence(open_token)
            ):
                # “…,” Mr. Clarke said. “…” The next quotation is still his.
                found = Found(
                    content=[(q.inner_start, q.inner_end)],
                    cue=previous.cue,
                    source=previous.source,
                    entry=previous.entry,
                    confidence=QUOTE_CONTINUED,
                )
            if found is not None:
                self.found.append(found)
            elif q.words(self.text) >= _ORPHAN_WORDS and self._starts_sentence(open_token):
                self.orphans.append(q)
            previous, previous_quote = found, q

    def orphan_quotes(self) -> None:
        """A quotation standing as a sentence of its own, with no speaker near: the last
        speaker of this paragraph or the one before is the likeliest."""
        if not self.orphans:
            return
        spoken = sorted(
            (f.content[-1][1], n) for n, f in enumerate(self.found) if f.source is not None
        )
        ends = [end for end, _ in spoken]
        for q in self.orphans:
            k = bisect.bisect_right(ends, q.open) - 1
            if k < 0:
                continue
            last = self.found[spoken[k][1]]
            paragraph = self._paragraph_of(last.source[0])
            if q.paragraph - paragraph > 1:
                continue
            self.found.append(
                Found(
                    content=[(q.inner_start, q.inner_end)],
                    cue=last.cue,
                    source=last.source,
                    entry=last.entry,
                    confidence=QUOTE_ORPHAN,
                )
            )

    def _speaker_after(self, q, close_token, p_end, number, skip) -> Found | None:
        """“…,” said Lapid / “…,” he said / “…,” Lapid told reporters, “…”."""
        tokens = self.tokens
        if q.continues:
            return None
        k = close_token + 1
        if k < p_end and tokens.words[k] == ",":
            k += 1
        if k >= p_end:
            return None
        sentence_end = self._sentence_of(k)[1] if k < len(tokens) else p_end
        ceiling = min(p_end, max(sentence_end, k + 12))
        cue = self._cue_at(k, ceiling)
        if tokens.words[k] in _DASHES:
            cue = (lexicon.DASH, k + 1)
        source = None
        if cue is not None and tokens.lower[k] not in lexicon.BASE_FORMS:
            entry, after = cue
            source = right_phrase(tokens, after, ceiling)
            if source is None or not speaker_like(tokens, source, -1):
                return None
            cue_range = (k, after)
            end = source[1]
        else:
            # “…,” Mr. Clarke said / “…,” Scott Pruitt, the attorney general, said
            m, hit, depth = k, None, 0
            while m < min(ceiling, k + 30):
                word = tokens.words[m]
                depth += (word == "(") - (word == ")")
                if (
                    word in SENTENCE_END
                    and not depth
                    and not (m > k and abbreviation(tokens.words[m - 1]))
                ):
                    return None
                if word in QUOTE_MARKS:
                    return None
                hit = self._cue_at(m, ceiling)
                if (
                    hit is not None
                    and m > k
                    and tokens.lower[m] not in lexicon.NOUNISH - {"says"}
                    and not capitalised(word)
                ):
                    break
                m += 1
            else:
                return None
            entry, after = hit
            j, _ = skip_left(tokens, m, k)
            source = left_phrase(tokens, j, k)
            # Right after a quotation, "the mayor said" needs no capital to be a speaker.
            if source is None or not speaker_like(tokens, source, -1, lenient=True):
                return None
            cue_range = (m, after)
            end = after
        if entry.behaviour == lexicon.DENY:
            return None
        content = [(q.inner_start, q.inner_end)]
        # “Part one,” he said, “part two.”
        rest = end
        while rest < p_end and tokens.lower[rest] in TRAILING | {","}:
            if tokens.words[rest] == ",":
                break
            rest += 1
        nxt = number + 1
        if (
            rest + 1 < p_end
            and tokens.words[rest] == ","
            and nxt < len(self.quote_list)
            and self.quote_list[nxt].open == tokens.starts[rest + 1]
        ):
            second = self.quote_list[nxt]
            content.append((second.inner_start, second.inner_end))
            skip.add(nxt)
        self.used.update(range(*cue_range))
        return Found(
            content=content,
            cue=chars(tokens, cue_range),
            source=chars(tokens, source),
            entry=entry,
            confidence=QUOTE_AFTER,
            cue_tokens=cue_range,
        )

    def _speaker_before(self, q, open_token, close_token, p_start) -> Found | None:
        """Lapid said: “…” / Lapid said the plan was “a disaster”."""
        tokens = self.tokens
        floor = max(
            p_start, self._sentence_of(open_token)[0] if open_token < len(tokens) else p_start
        )
        c = open_token - 1
        while c >= floor and open_token - c <= 8:
            if self.in_quote[c]:
                return None
            hit = self._cue_at(c, open_token)
            if hit is not None and tokens.lower[c] not in lexicon.NOUNISH:
                break
            c -= 1
        else:
            return None
        if c < floor:
            return None
        entry, after = hit
        if tokens.lower[c] in lexicon.BASE_FORMS and not self._base_form_ok(c, floor):
            return None
        j, hedged = skip_left(tokens, c, floor)
        source = left_phrase(tokens, j, floor)
        if source is None or not speaker_like(tokens, source, floor):
            return None
        lead = [
            k
            for k in range(after, open_token)
            if is_word(tokens.words[k]) and tokens.lower[k] not in TRAILING | {"that"}
        ]
        start = q.inner_start
        if lead and entry.behaviour != lexicon.TOLD:
            trimmed = trim_content(tokens, after, open_token + 1)
            if trimmed is not None:
                start = tokens.starts[trimmed[0]]
        self.used.update(range(c, after))
        return Found(
            content=[(start, q.inner_end)],
            cue=chars(tokens, (c, after)),
            source=chars(tokens, source),
            entry=entry,
            confidence=QUOTE_BEFORE,
            hedged=hedged,
            cue_tokens=(c, after),
        )

    # ------------------------------------------------------------------ sentences

    def sentences(self) -> None:
        for a, b in self.sentence_tokens:
            i = a
            while i < b:
                i = self._at(i, a, b)

    def _at(self, i: int, a: int, b: int) -> int:
        """Try an attribution whose cue starts at token `i`; the next token to try."""
        tokens = self.tokens
        if self.in_quote[i] or i in self.used:
            return i + 1
        low = tokens.lower[i]
        if low == "according" and i + 1 < b and tokens.lower[i + 1] == "to":
            self._according(i, a, b)
            return i + 2
        if (
            low in lexicon.GERUNDS
            and i > a + 1
            and (tokens.words[i - 1] == "," or tokens.lower[i - 1] in _BEFORE_GERUND)
        ):
            self._gerund(i, a, b)
            return i + 1
        if i == a and low not in lexicon.CUES:
            self._headline(a, b)
        hit = self._cue_at(i, b)
        if hit is None:
            return i + 1
        entry, after = hit
        if i > a and capitalised(tokens.words[i]) and not self._title_case(a, b, i):
            return after  # "the United States", a headline's "CLAIMS"
        if i > a and tokens.lower[i - 1] == "to":
            return after  # "declined to say", "wants to deny"
        if i > a and tokens.lower[i - 1].endswith("'s"):
            return after  # "Trump's comments", "Russia's suspected role"
        if low in lexicon.BASE_FORMS and low == entry.lemma and not self._base_form_ok(i, a):
            return after
        if low in lexicon.NOUNISH:
            prev = tokens.lower[i - 1] if i > a else ""
            nxt = tokens.lower[after] if after < b else ""
            if i == a or prev in _DETERMINERS or not is_word(prev) or nxt in _NOT_AFTER_VERB:
                return after
        j, hedged = skip_left(tokens, i, a)
        if j >= a and tokens.lower[j] in _PASSIVE_AUX | {"been"}:
            self._passive(i, after, j, entry, a, b)
            return after
        if (
            a < j
            and tokens.words[j] in {",", "\u201d", '"'}
            and self._inverted(i, after, j, entry, a, b)
        ):
            return after
        if j > a and tokens.lower[j] == "and":
            # "Schultz … and said he did not support Mr. Trump": the sentence's subject.
            source = self._subject(a, j)
            if source is not None:
                self._preposed(i, after, source, entry, hedged, a, b)
            return after
        source = left_phrase(tokens, j, a)
        if source is None or not speaker_like(tokens, source, a):
            return after
        if low in lexicon.NOUNISH and any(tokens.lower[k].endswith("'s") for k in range(*source)):
            return after  # "Trump's early-morning tweets"
        before = source[0] - 1
        if (
            before > a
            and tokens.words[before] in {",", "\u201d", '"'}
            and after_is_trailing(tokens, after, b)
        ):
            content = trim_content(tokens, a, before)
            if content is not None:
                self._add(content, (i, after), source, entry, POSTPOSED, hedged)
            return after
        self._preposed(i, after, source, entry, hedged, a, b)
        return after

    def _title_case(self, a: int, b: int, i: int) -> bool:
        """A headline written in title case ("New Poll Shows …", "Graham Says …"), where a
        capitalised cue is still a cue; never "the United States"."""
        tokens = self.tokens
        if tokens.words[i].isupper() or tokens.lower[i - 1] == "united":
            return False
        words = [tokens.words[k] for k in range(a, b) if is_word(tokens.words[k])]
        if len(words) < 4:
            return False
        capitals = sum(1 for w in words if capitalised(w) or w.lower() in _TITLE_SMALL)
        return capitals == len(words) and i + 1 < b

    def _subject(self, a: int, limit: int) -> tuple[int, int] | None:
        """The speaker a sentence starts with, if it starts with one."""
        source = subject_phrase(self.tokens, a, limit)
        if source is None or not speaker_like(self.tokens, source, a):
            return None
        return source

    def _gerund(self, i: int, a: int, b: int) -> None:
        """ "Trump tweeted on Monday, saying that …": the subject speaks on."""
        source = self._subject(a, i)
        if source is None:
            return
        entry = lexicon.GERUNDS[self.tokens.lower[i]]
        self._preposed(i, i + 1, source, entry, False, a, b)

    def _headline(self, a: int, b: int) -> None:
        """ "Poll: Wealthy Voters Abandon …", a transcript's "WALLACE: …"."""
        tokens = self.tokens
        while a < b and tokens.words[a] in QUOTE_MARKS:
            a += 1  # a transcript's line may be quoted whole
        colon = next((k for k in range(a, min(b, a + 5)) if tokens.words[k] == ":"), None)
        if colon is None or colon == a:
            return
        if not all(
            is_word(tokens.words[k]) and capitalised(tokens.words[k]) for k in range(a, colon)
        ):
            return
        if tokens.lower[a] in _EDITORIAL:
            return  # "Correction: …" is the paper speaking of itself
        content = trim_content(tokens, colon + 1, b)
        if content is None or content[1] - content[0] < 3:
            return
        self._add(content, (colon, colon + 1), (a, colon), lexicon.COLON, HEADLINE, quoted=True)

    def _add(
        self, content, cue_range, source, entry, shape, hedged=False, accused=(), quoted=False
    ):
        tokens = self.tokens
        if not quoted and all(
            self.in_quote[k] or not is_word(tokens.words[k]) for k in range(*content)
        ):
            return  # a quotation the first pass could not give a speaker
        self.used.update(range(*cue_range))
        self.found.append(
            Found(
                content=[chars(tokens, content)],
                cue=chars(tokens, cue_range),
                source=chars(tokens, source) if source else None,
                entry=entry,
                confidence=shape,
                hedged=hedged,
                accused=[chars(tokens, r) for r in accused],
                cue_tokens=cue_range,
            )
        )

    def _preposed(self, i, after, source, entry, hedged, a, b) -> None:
        tokens = self.tokens
        c = after
        accused: list[tuple[int, int]] = []
        if entry.behaviour == lexicon.TOLD:
            that = next(
                (k for k in range(c, min(b, c + 8)) if tokens.lower[k] in {"that", ","}), None
            )
            if that is not None and tokens.lower[that] == "that":
                c = that + 1
            else:
                while c < b and (tokens.lower[c] in _ADDRESSEES or capitalised(tokens.words[c])):
                    c += 1
        elif entry.behaviour == lexicon.ACCUSE:
            link = next(
                (k for k in range(c, min(b, c + 9)) if tokens.lower[k] in lexicon.ACCUSE_LINKS),
                None,
            )
            if link is not None and link > c:
                accused.append((c, link))
        elif entry.behaviour == lexicon.DENY and entry.lemma != "deny":
            window = tokens.lower[c : min(b, c + 5)]
            if not any(w in lexicon.CLAIM_NOUNS for w in window):
                return
        # Stop at a following quotation's speaker or a second cue with its own subject.
        content = trim_content(tokens, c, b)
        if content is None:
            return
        words = sum(1 for k in range(*content) if is_word(tokens.words[k]))
        if words < 2:
            return
        if after_is_trailing(tokens, c, b) and not (
            capitalised(tokens.words[i]) and self._title_case(a, b, i)
        ):
            return
        self._add(content, (i, after), source, entry, PREPOSED, hedged, accused)

    def _inverted(self, i, after, j, entry, a, b) -> bool:
        """ "…, said Lapid." The speaker after the cue, the content before the comma."""
        tokens = self.tokens
        source = right_phrase(tokens, after, b)
        if source is None or not speaker_like(tokens, source, -1):
            return False
        if not after_is_trailing(tokens, source[1], b):
            return False
        content = trim_content(tokens, a, j)
        if content is None:
            return False
        self._add(content, (i, after), source, entry, INVERTED)
        return True

    def _passive(self, i, after, aux, entry, a, b) -> None:
        """ "Iran was accused by Albania of the attack": the source after "by"."""
        tokens = self.tokens
        if after >= b or tokens.lower[after] != "by":
            return
        source = right_phrase(tokens, after + 1, b)
        if source is None or not speaker_like(tokens, source, -1):
            return
        accused = []
        subject = left_phrase(tokens, aux - 1, a)
        if entry.behaviour == lexicon.ACCUSE and subject is not None:
            accused.append(subject)
        start = subject[0] if subject is not None else a
        content = trim_content(tokens, source[1], b)
        if content is None:
            return
        if entry.behaviour != lexicon.ACCUSE and tokens.lower[source[1]] != "that":
            return  # "It was first declared by Nixon in the 1970s": nothing reported
        if subject is not None and entry.behaviour == lexicon.ACCUSE:
            content = (start, content[1])
        self._add(content, (aux, after + 1), source, entry, PASSIVE, False, accused)

    def _according(self, i, a, b) -> None:
        tokens = self.tokens
        source = right_phrase(tokens, i + 2, b)
        if source is None or not speaker_like(tokens, source, -1, lenient=True):
            return
        leading = all(
            not is_word(tokens.words[k]) or tokens.lower[k] in TRAILING for k in range(a, i)
        )
        if leading:
            comma = next((k for k in range(source[1], b) if tokens.words[k] == ","), None)
            if comma is None:
                return
            content = trim_content(tokens, comma + 1, b)
        else:
            content = trim_content(tokens, a, i)
        if content is None:
            return
        self._add(content, (i, i + 2), source, lexicon.ACCORDING, ACCORDING)

    # ------------------------------------------------------------------ adjectives

    def adjectives(self) -> None:
        """ "Washington sanctioned the ministry for its alleged role": the sentence's
        subject alleges what follows it."""
        tokens = self.tokens
        taken = sorted(f.content[0][0] for f in self.found)
        for a, b in self.sentence_tokens:
            lo, hi = (
                self.tokens.starts[a] if a < len(tokens) else 0,
                (tokens.ends[b - 1] if b else 0),
            )
            k = bisect.bisect_left(taken, lo)
            if k < len(taken) and taken[k] < hi:
                continue
            for i in range(a + 1, b - 1):
                if tokens.lower[i] not in lexicon.ALLEGING or self.in_quote[i]:
                    continue
                if tokens.lower[i - 1] in _PASSIVE_AUX | {"has", "have", "had"}:
                    continue
                if not is_word(tokens.words[i + 1]) or capitalised(tokens.words[i + 1]):
                    continue
                source = subject_phrase(tokens, a, b)
                if source is None:
                    break
                if not speaker_like(tokens, source, -1) or source[1] >= i:
                    break
                content = trim_content(tokens, source[1], b)
                if content is None:
                    break
                entry = lexicon.Cue(tokens.lower[i], lexicon.ALLEGED, lexicon.SPEECH, 1.0)
                mentions = [(m.start, m.end) for m in self.mentions.inside(*chars(tokens, content))]
                self.found.append(
                    Found(
                        content=[chars(tokens, content)],
                        cue=chars(tokens, (i, i + 1)),
                        source=chars(tokens, source),
                        entry=entry,
                        confidence=ADJECTIVE,
                        accused=mentions,
                    )
                )
                break

    # ------------------------------------------------------------------ building

    def build(self, excluded: list[tuple[int, int]]) -> list[Suggestion]:
        text = self.text
        found = sorted(self.found, key=lambda f: (f.content[0][0], -f.confidence))
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
            if key in seen or _overlaps(content, excluded):
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

    def _claimant(self, f: Found, named_before: str) -> tuple[int | None, str, float]:
        if f.source is None:
            return None, "", 0.8
        start, end = f.source
        words = self.text[start:end]
        if pronouns.is_pronoun(words):
            actor = self.mentions.before(start, words)
            return actor, (named_before or words) if actor is None else "", PRONOUN_SOURCE
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


def _overlaps(content: tuple[Span, ...], excluded: list[tuple[int, int]]) -> bool:
    return any(s < span.end and span.start < e for span in content for s, e in excluded)


__all__ = ["suggest"]
