"""Reported speech sentence by sentence, outside quotations: a cue found in the lexicon
and, around it, the shape of the sentence (`patterns`): preposed, postposed, inverted,
according to, passive, participles and coordinated verbs speaking for the subject,
headlines and transcripts, and allegations by adjective ("for its alleged role")."""

from __future__ import annotations

import bisect

from annotations.suggesting import lexicon
from annotations.suggesting.patterns import (
    TRAILING,
    Found,
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
from annotations.suggesting.reading import (
    ACCORDING,
    ADDRESSEES,
    ADJECTIVE,
    ARTICLES,
    BEFORE_GERUND,
    DETERMINERS,
    EDITORIAL,
    EVIDENCE_SUBJECT,
    HEADLINE,
    INVERTED,
    MAX_CONTENT,
    NOT_AFTER_VERB,
    PASSIVE,
    PASSIVE_AUX,
    POSTPOSED,
    PREPOSED,
    PROGRESSIVE_AUX,
    QUOTE_MARKS,
    SURE_CUE,
    TITLE_SMALL,
    Reading,
    has_words,
)


class ReportedSpeech(Reading):
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
        for phrase in lexicon.ACCORDING_PHRASES.get(low, ()):
            n = len(phrase)
            if tuple(tokens.lower[i : i + n]) == phrase and i + n < b:
                self._according(i, i + n, a, b)
                return i + n
        if (
            low in lexicon.GERUNDS
            and i > a + 1
            and (tokens.words[i - 1] == "," or tokens.lower[i - 1] in BEFORE_GERUND)
        ):
            self._gerund(i, a, b)
            return i + 1
        if low in lexicon.PROGRESSIVE and i > a and tokens.lower[i - 1] in PROGRESSIVE_AUX:
            self._progressive(i, a, b)
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
        if i > a and (tokens.lower[i - 1].endswith("'s") or tokens.lower[i - 1] in ARTICLES):
            return after  # "Trump's comments", "Russia's suspected role"
        if low in lexicon.BASE_FORMS and low == entry.lemma and not self._base_form_ok(i, a):
            return after
        if low in lexicon.NOUNISH:
            prev = tokens.lower[i - 1] if i > a else ""
            nxt = tokens.lower[after] if after < b else ""
            if i == a or prev in DETERMINERS or not is_word(prev) or nxt in NOT_AFTER_VERB:
                return after
        j, hedged = skip_left(tokens, i, a)
        if j >= a and tokens.lower[j] in PASSIVE_AUX | {"been"}:
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
        # A sure cue ("said", "told") makes its subject a speaker whatever the noun.
        lenient = entry.weight >= SURE_CUE
        if source is None or not speaker_like(tokens, source, a, lenient=lenient):
            source = self._evidence(entry, a, j)
            if source is None:
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
        capitals = sum(1 for w in words if capitalised(w) or w.lower() in TITLE_SMALL)
        return capitals == len(words) and i + 1 < b

    def _subject(self, a: int, limit: int) -> tuple[int, int] | None:
        """The speaker a sentence starts with, if it starts with one."""
        source = subject_phrase(self.tokens, a, limit)
        if source is None or not speaker_like(self.tokens, source, a):
            return None
        return source

    def _gerund(self, i: int, a: int, b: int) -> None:
        """ "Trump tweeted on Monday, saying that …": the subject speaks on; "“…,” the
        mayor said, adding that …": so does the speaker already found in the sentence."""
        source = self._speaker_so_far(a, i) or self._subject(a, i)
        if source is None:
            return
        entry = lexicon.GERUNDS[self.tokens.lower[i]]
        self._preposed(i, i + 1, source, entry, False, a, b)

    def _evidence(self, entry: lexicon.Cue, a: int, j: int) -> tuple[int, int] | None:
        """ "The average of polls taken over two weeks shows …", "Video of the incident
        shows …": what shows or finds is the whole phrase the sentence starts with."""
        tokens = self.tokens
        if entry.lemma not in lexicon.EVIDENCE or j < a or j - a >= EVIDENCE_SUBJECT:
            return None
        for k in range(a, j + 1):
            word = tokens.words[k]
            if word in {",", ";", ":"} or (word[:1].isalpha() and tokens.lower[k] in lexicon.CUES):
                return None
        return (a, j + 1) if is_word(tokens.words[a]) else None

    def _progressive(self, i: int, a: int, b: int) -> None:
        """ "Fowler is calling for a process …": the subject of the auxiliary speaks."""
        tokens = self.tokens
        j, hedged = skip_left(tokens, i - 1, a)
        source = left_phrase(tokens, j, a)
        if source is None or not speaker_like(tokens, source, a):
            return
        self._preposed(i, i + 1, source, lexicon.PROGRESSIVE[tokens.lower[i]], hedged, a, b)

    def _speaker_so_far(self, a: int, i: int) -> tuple[int, int] | None:
        """The source (token range) of the last attribution whose cue is in this sentence
        before token `i`."""
        tokens = self.tokens
        lo, hi = tokens.starts[a], tokens.starts[i]
        for found in reversed(self.found):
            if found.source is not None and found.cue is not None and lo <= found.cue[0] < hi:
                start = self._token_at(found.source[0])
                end = self._token_at(found.source[1])
                return start, end
        return None

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
        if tokens.lower[a] in EDITORIAL:
            return  # "Correction: …" is the paper speaking of itself
        content = trim_content(tokens, colon + 1, b)
        if content is None or content[1] - content[0] < 3:
            return
        self._add(content, (colon, colon + 1), (a, colon), lexicon.COLON, HEADLINE, quoted=True)

    def _add(
        self, content, cue_range, source, entry, shape, hedged=False, accused=(), quoted=False
    ):
        tokens = self.tokens
        if content[1] - content[0] > MAX_CONTENT:
            # A run-on "sentence" (a text without full stops): keep the words nearest the
            # cue, so that a long text costs time in proportion to its length.
            if cue_range[0] >= content[1]:
                content = (content[1] - MAX_CONTENT, content[1])
            else:
                content = (content[0], content[0] + MAX_CONTENT)
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
                while c < b and (tokens.lower[c] in ADDRESSEES or capitalised(tokens.words[c])):
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
        if not has_words(tokens, content, 2):
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

    def _according(self, i, after, a, b) -> None:
        """ "According to the FBI, …" and "…, according to the FBI"."""
        tokens = self.tokens
        source = right_phrase(tokens, after, b)
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
        self._add(content, (i, after), source, lexicon.ACCORDING, ACCORDING)

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
                if tokens.lower[i - 1] in PASSIVE_AUX | {"has", "have", "had"}:
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
