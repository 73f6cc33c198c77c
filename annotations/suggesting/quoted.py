"""Direct quotations and their speakers: after the quotation (“…,” said Lapid / he said /
Mr. Clarke said / ― Pamela Padilla), before it (Lapid said: “…”), around it (“…,” he said,
“…”: one content of two fragments), the next paragraph's quotation when the previous one
was left open, the next quotation of the same paragraph, and a quotation standing alone
after its speaker's words."""

from __future__ import annotations

import bisect

from annotations.suggesting import lexicon
from annotations.suggesting.patterns import (
    SENTENCE_END,
    TRAILING,
    Found,
    abbreviation,
    capitalised,
    chars,
    is_word,
    left_phrase,
    right_phrase,
    skip_left,
    speaker_like,
    trim_content,
)
from annotations.suggesting.quotes import Quote
from annotations.suggesting.reading import (
    DASHES,
    MIN_QUOTE_WORDS,
    ORPHAN_WORDS,
    QUOTE_AFTER,
    QUOTE_BEFORE,
    QUOTE_CONTINUED,
    QUOTE_MARKS,
    QUOTE_ORPHAN,
    Reading,
)


class QuotedSpeech(Reading):
    def quotes(self) -> None:
        previous: Found | None = None
        previous_quote: Quote | None = None
        skip: set[int] = set()
        for number, q in enumerate(self.quote_list):
            if number in skip:
                continue
            if q.words(self.text) < MIN_QUOTE_WORDS:
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
            elif q.words(self.text) >= ORPHAN_WORDS and self._starts_sentence(open_token):
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
        open_token = self._token_at(q.open)
        first = self._sentence_of(open_token)[0]
        if any(is_word(tokens.words[k]) for k in range(first, open_token)):
            # 'In an interview on CBS's "Face the Nation," Ryan said …': a title inside a
            # sentence, not the words the speaker after it said.
            return None
        k = close_token + 1
        if k < p_end and tokens.words[k] == ",":
            k += 1
        if k >= p_end:
            return None
        sentence_end = self._sentence_of(k)[1] if k < len(tokens) else p_end
        ceiling = min(p_end, max(sentence_end, k + 12))
        cue = self._cue_at(k, ceiling)
        if tokens.words[k] in DASHES:
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
