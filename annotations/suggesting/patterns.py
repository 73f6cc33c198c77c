"""The shapes attributions take in a sentence, found on its words.

- preposed: "Rama said (that) Iran was behind the attack"; "Tirana accused Iran of …"
- postposed: "Iran was behind the attack, Rama said on Friday."
- inverted: "Iran was behind the attack, said Rama."
- according to: "according to the FBI, …" and "…, according to the FBI."
- passive: "Iran was accused by Albania of …" (the source after "by").
- allegation by adjective: "Washington sanctioned X for its alleged role in …".

Each finder returns a `Found` (character spans, the cue's lexicon entry, how sure) or None.
Speakers are noun phrases found without a parser: the words next to the cue up to a
clause boundary, kept only when they look like a speaker (a name, a pronoun, or a noun
that names people or publications).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotations.suggesting import lexicon, pronouns
from annotations.suggesting.segments import ABBREVIATIONS, Tokens
from annotations.suggesting.words import wordset

Range = tuple[int, int]  # token indices, end exclusive

# Between a speaker and the cue: "Rama has also said", "officials would later say".
SKIP_BEFORE_CUE = (
    wordset(
        """has have had also later then previously recently repeatedly once again reportedly
    publicly privately already further now still often frequently first
    initially subsequently quickly immediately separately similarly likewise flatly
    categorically strongly openly angrily bluntly simply just even never"""
    )
    | lexicon.HEDGES
    | {"will", "did", "does", "do", "had"}
)

# Words a speaker phrase does not cross going left.
LEFT_STOPS = wordset(
    """that which who whom whose and but or nor because while when as if after before
    since so than where though although whether unless until yet also said says told
    to for of in on at by with from about into over under against between during without
    there here not this these those what how why is was were are be been being has have
    had do does did will would can could should may might must"""
)
# Connectors allowed inside a speaker phrase going right ("the Center for Public Policy").
INNER = frozenset({"of", "for", "the", "at", "on", "and", "&", "de", "du", "la"})

# Heads that make a lowercase phrase a speaker ("the campaign said", "officials say").
SPEAKER_NOUNS = wordset(
    """official officials spokesman spokeswoman spokesperson spokespeople aide aides adviser
    advisers advisor advisors campaign campaigns poll polls pollster pollsters survey surveys
    report reports study studies analysis analyses statement statements expert experts
    analyst analysts critic critics supporter supporters source sources people voters voter
    lawmakers lawmaker senator senators governor president candidate candidates nominee
    lawyer lawyers attorney attorneys police authorities government ministry department
    agency committee team company group organization organisation researchers economists
    members member leaders leader director chairman chairwoman chair secretary prosecutors
    prosecutor investigators documents data figures records website memo email emails letter
    book article paper newspaper network observers residents man woman father mother friend
    friends others many some both most democrats republicans representative congressman
    congresswoman minister ministers ambassador diplomat diplomats officer officers spokesmen
    commission council court judge judges justice administration white house party
    participants respondents americans citizens activists protesters demonstrators
    manager managers chief executive ceo founder owner staff staffer staffers insiders
    donors backers opponents rivals opponent rival challenger incumbent lawyer host hosts
    reporter reporters journalist journalists editor editors columnist columnists writer
    author authors scholar scholars professor professors scientist scientists historian
    historians strategist strategists consultant consultants operative operatives
    surrogate surrogates allies ally associates associate colleagues colleague sister
    brother son daughter wife husband family officials' polling numbers results survey
    groups organizations agencies
    union unions mayor board panel bank banks firm firms network outlet outlets magazine
    institute center centre foundation coalition alliance army navy regime embassy assembly
    commissioner chancellor premier king queen prince pope bishop priest imam rabbi doctor
    doctors physician physicians nurse nurses teacher teachers student students worker workers
    employee employees farmer farmers neighbor neighbors neighbour neighbours witness
    witnesses victim victims survivor survivors parent parents mom dad fans users customers
    consumers investors traders jury regulator regulators inspector inspectors auditor
    auditors proponents advocates detractors skeptics sceptics defenders commentators pundits
    bloggers readers viewers listeners organizers organisers campaigners volunteers troops
    soldiers veterans agents detectives"""
)

# Words after a cue that do not start the content ("said on Monday", "said in a statement").
TRAILING = wordset(
    """on in at during last this yesterday today tonight monday tuesday wednesday thursday
    friday saturday sunday week weekend month year morning afternoon evening night a an the
    statement interview speech tweet post email letter told reporters later earlier also
    recently previously again then briefly while after before when at rally press
    conference news release radio television tv cnn fox abc nbc cbs msnbc"""
)

# Capitalised at the start of a sentence without being a name.
NOT_SPEAKERS = wordset(
    """it this that there what which who the a an and but so yet or if when while as then
    having let its his her their our my your whose
    now here also however still instead meanwhile yesterday today tomorrow earlier later
    last next some such many most more less one no not all every each both either neither
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december"""
)

SENTENCE_END = frozenset({".", "!", "?", "\u2026"})
CLOSING = frozenset({"\u201d", '"', "\u2019", "'", ")"})
OPENING = frozenset({"\u201c", '"', "\u2018", "("})


@dataclass
class Found:
    """An attribution found in a sentence: character spans, its cue entry, how sure."""

    content: list[tuple[int, int]]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    entry: lexicon.Cue
    confidence: float
    hedged: bool = False
    accused: list[tuple[int, int]] = field(default_factory=list)
    cue_tokens: Range = (0, 0)


def is_word(word: str) -> bool:
    return word[:1].isalnum()


def capitalised(word: str) -> bool:
    return word[:1].isupper()


def speaker_like(tokens: Tokens, span: Range, sentence_start: int, lenient: bool = False) -> bool:
    """Whether the phrase `span` can name who speaks. `lenient` takes any noun phrase that
    is not a pronoun other than a personal one (a quotation's speaker: "the mayor said")."""
    a, b = span
    if b <= a:
        return False
    head = tokens.lower[b - 1]
    if head.endswith("'s"):
        head = head[:-2]
    if b - a == 1 and pronouns.is_pronoun(head):
        return head != "i"  # "I said" is inside a quotation, whose speaker is elsewhere
    if head in SPEAKER_NOUNS:
        return True
    if lenient and head not in NOT_SPEAKERS and b - a <= 6:
        return True
    if head == "who":
        # "Trump, who said …": the relative pronoun after a comma names the speaker.
        return b - a == 1 and a > 0 and (tokens.words[a - 1] == "," or is_word(tokens.words[a - 1]))
    if head in NOT_SPEAKERS:
        return False
    # A name: a capitalised word; the first word of a sentence only when it is not one of
    # the words that start sentences anyway.
    for k in range(a, b):
        word = tokens.words[k]
        if capitalised(word) and (k != sentence_start or tokens.lower[k] not in NOT_SPEAKERS):
            return True
    return False


def left_phrase(tokens: Tokens, j: int, floor: int, limit: int = 7) -> Range | None:
    """The speaker phrase ending at token `j` (inclusive), going left no further than
    `floor`. "Clinton, the Democratic nominee, said": the name before the apposition."""
    if j < floor:
        return None
    if (
        tokens.lower[j] == "who"
        and j > floor
        and (tokens.words[j - 1] == "," or is_word(tokens.words[j - 1]))
    ):
        return j, j + 1  # "Trump, who said …", "an architect who said …"
    if tokens.words[j] == ",":
        # An apposition between commas: take the phrase before the first comma.
        k = j - 1
        while k >= floor and j - k <= 32 and tokens.words[k] not in {",", ";", ":"}:
            if (
                tokens.lower[k] in lexicon.CUES
                and tokens.lower[k] not in lexicon.BASE_FORMS | lexicon.NOUNISH
            ):
                return None
            k -= 1
        if k < floor or tokens.words[k] != ",":
            return None
        return left_phrase(tokens, k - 1, floor, limit)
    end = j + 1
    k = j
    while k >= floor and end - k <= limit:
        word, low = tokens.words[k], tokens.lower[k]
        if word == "." and k > floor and abbreviation(tokens.words[k - 1]):
            k -= 1  # "U.S.", "Mr."
            continue
        if word == ")" and k == j:
            # "Sen. David Perdue (R-Ga.) said": pass over the parenthesis.
            opening = k - 1
            while opening > floor and k - opening < 8 and tokens.words[opening] != "(":
                opening -= 1
            if tokens.words[opening] != "(" or opening - 1 < floor:
                return None
            return left_phrase(tokens, opening - 1, floor, limit)
        if not is_word(word) and word not in {"&", "-"}:
            break
        if low in LEFT_STOPS and not (capitalised(word) and k == j):
            break
        if low in lexicon.CUES and low not in lexicon.BASE_FORMS and k != j:
            break
        k -= 1
    start = k + 1
    while start < end and not is_word(tokens.words[start]):
        start += 1
    if start >= end:
        return None
    return start, end


def abbreviation(word: str) -> bool:
    return len(word) == 1 or word.lower() in ABBREVIATIONS


def right_phrase(tokens: Tokens, i: int, ceiling: int, limit: int = 10) -> Range | None:
    """The speaker phrase starting at token `i`: "said Lapid", "according to the Roper
    Center for Public Opinion Research"."""
    k = i
    last_word = None
    named = False
    while k < ceiling and k - i < limit:
        word, low = tokens.words[k], tokens.lower[k]
        if word == "." and last_word is not None and abbreviation(tokens.words[last_word]):
            k += 1
            continue
        if not is_word(word) and word not in {"&", "-"}:
            break
        if low in LEFT_STOPS and low not in INNER:
            break
        if low in lexicon.CUES and low not in lexicon.BASE_FORMS:
            break
        if low in INNER and (k + 1 >= ceiling or not is_word(tokens.words[k + 1])):
            break
        if named and low not in INNER and not capitalised(word):
            break  # "by Albania of hosting …": a name ends at its first common word
        if named and low in INNER and not _name_follows(tokens, k + 1, ceiling):
            break
        if low not in INNER:
            last_word = k
            named = named or capitalised(word)
        k += 1
    if last_word is None:
        return None
    # A trailing connector never ends the phrase.
    return i, last_word + 1


def _name_follows(tokens: Tokens, k: int, ceiling: int) -> bool:
    """Whether a name goes on after a connector: "Center for Public …", "of the Sierra …"."""
    while k < ceiling and tokens.lower[k] in INNER:
        k += 1
    return k < ceiling and capitalised(tokens.words[k])


def subject_phrase(tokens: Tokens, a: int, ceiling: int) -> Range | None:
    """The name a sentence starts with ("Washington", "The Roper Center for Public
    Opinion Research", "Sen. Perdue"), or a short common-noun speaker ("the campaign",
    "top officials"), without the verb after it."""
    k = a
    if k < ceiling and tokens.lower[k] == "the":
        k += 1
    if k < ceiling and tokens.lower[k] in LEFT_STOPS | NOT_SPEAKERS:
        return None  # "In …", "After …": the sentence starts with something else
    start, last = k, None
    while k < ceiling and k - start < 8:
        word = tokens.words[k]
        if is_word(word) and capitalised(word):
            last = k
        elif last != k - 1 or not (
            (word == "." and abbreviation(tokens.words[k - 1])) or tokens.lower[k] in INNER
        ):
            break
        k += 1
    if last is not None:
        return a, last + 1
    for k in range(start, min(ceiling, start + 3)):
        if not is_word(tokens.words[k]):
            return None
        if tokens.lower[k] in SPEAKER_NOUNS:
            return a, k + 1
    return None


def chars(tokens: Tokens, span: Range) -> tuple[int, int]:
    return tokens.starts[span[0]], tokens.ends[span[1] - 1]


def trim_content(tokens: Tokens, a: int, b: int) -> Range | None:
    """Drop punctuation at both ends of a content, and a leading "that" or colon."""
    while a < b and (not is_word(tokens.words[a]) and tokens.words[a] not in OPENING):
        a += 1
    if a < b and tokens.lower[a] == "that":
        a += 1
    while a < b and not is_word(tokens.words[a]) and tokens.words[a] not in OPENING:
        a += 1
    while b > a and not is_word(tokens.words[b - 1]) and tokens.words[b - 1] not in CLOSING:
        b -= 1
    if b - a < 2:
        return None
    return a, b


def skip_left(tokens: Tokens, i: int, floor: int) -> tuple[int, bool]:
    """The token before the cue at `i` once auxiliaries and adverbs are passed, and whether
    a hedge ("might", "could") was among them."""
    j = i - 1
    hedged = False
    while j >= floor and tokens.lower[j] in SKIP_BEFORE_CUE:
        hedged = hedged or tokens.lower[j] in lexicon.HEDGES
        j -= 1
    return j, hedged


def after_is_trailing(tokens: Tokens, i: int, b: int) -> bool:
    """Whether the words from `i` to the sentence end only say when or where ("on
    Monday", "in a statement", "told reporters")."""
    count = 0
    for k in range(i, b):
        word = tokens.words[k]
        if not word[:1].isalnum():
            continue
        count += 1
        if count > 10 or not (tokens.lower[k] in TRAILING or word[:1].isupper()):
            return False
    return True
