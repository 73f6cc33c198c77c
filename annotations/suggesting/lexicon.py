"""Reporting words: the general English verbs (and a few phrases) that announce who says
what, with the certainty each gives and the roles it puts actors in.

Written by hand from ordinary English usage. It includes the synonyms that scraped,
synonym-spun copies of news put in place of "said" ("mentioned", "remarked", "stated",
"conveyed"…), so a spun copy is suggested like its original.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotations.suggesting.words import wordset

ASSERTED, ALLEGED, DENIED, CONFIRMED, SPECULATED = (
    "asserted",
    "alleged",
    "denied",
    "confirmed",
    "speculated",
)

# How a cue behaves:
#   speech  — "X said (that) Y"; the usual case.
#   accuse  — "X accused Z of Y", "X blamed Z for Y": Z takes the role `accused`.
#   deny    — "X denied Y", "X rejected the charges that Y": X is also the `denier`.
#   told    — "X told Z (that) Y": an addressee comes before the content.
SPEECH, ACCUSE, DENY, TOLD = "speech", "accuse", "deny", "told"


@dataclass(frozen=True, slots=True)
class Cue:
    lemma: str
    certainty: str
    behaviour: str
    weight: float  # how surely the word announces an attribution (0 to 1)


def _forms(base: str, past: str | None = None, third: str | None = None) -> list[str]:
    """The finite forms a cue takes in news (base, third person, past)."""
    if third is None:
        if base.endswith(("s", "sh", "ch", "x", "z")):
            third = base + "es"
        elif base.endswith("y") and base[-2:-1] not in "aeiou":
            third = base[:-1] + "ies"
        else:
            third = base + "s"
    if past is None:
        if base.endswith("e"):
            past = base + "d"
        elif base.endswith("y") and base[-2:-1] not in "aeiou":
            past = base[:-1] + "ied"
        else:
            past = base + "ed"
    return [base, third, past]


# lemma: (certainty, behaviour, weight, irregular past, irregular third person)
_VERBS: dict[str, tuple[str, str, float, str | None, str | None]] = {
    # saying, neutral
    "say": (ASSERTED, SPEECH, 1.0, "said", "says"),
    "tell": (ASSERTED, TOLD, 0.95, "told", None),
    "add": (ASSERTED, SPEECH, 0.8, None, None),
    "write": (ASSERTED, SPEECH, 0.85, "wrote", None),
    "tweet": (ASSERTED, SPEECH, 0.9, None, None),
    "state": (ASSERTED, SPEECH, 0.9, None, None),
    "note": (ASSERTED, SPEECH, 0.8, None, None),
    "explain": (ASSERTED, SPEECH, 0.85, None, None),
    "argue": (ASSERTED, SPEECH, 0.9, None, None),
    "insist": (ASSERTED, SPEECH, 0.9, None, None),
    "announce": (ASSERTED, SPEECH, 0.85, None, None),
    "declare": (ASSERTED, SPEECH, 0.85, None, None),
    "report": (ASSERTED, SPEECH, 0.75, None, None),
    "warn": (ASSERTED, SPEECH, 0.85, None, None),
    "predict": (SPECULATED, SPEECH, 0.8, None, None),
    "promise": (ASSERTED, SPEECH, 0.75, None, None),
    "vow": (ASSERTED, SPEECH, 0.8, None, None),
    "pledge": (ASSERTED, SPEECH, 0.75, None, None),
    "reply": (ASSERTED, SPEECH, 0.85, None, None),
    "respond": (ASSERTED, SPEECH, 0.7, None, None),
    "answer": (ASSERTED, SPEECH, 0.7, None, None),
    "continue": (ASSERTED, SPEECH, 0.3, None, None),
    "conclude": (ASSERTED, SPEECH, 0.75, None, None),
    "contend": (ASSERTED, SPEECH, 0.9, None, None),
    "maintain": (ASSERTED, SPEECH, 0.6, None, None),
    "assert": (ASSERTED, SPEECH, 0.9, None, None),
    "emphasize": (ASSERTED, SPEECH, 0.85, None, None),
    "emphasise": (ASSERTED, SPEECH, 0.85, None, None),
    "stress": (ASSERTED, SPEECH, 0.8, None, None),
    "recall": (ASSERTED, SPEECH, 0.75, None, None),
    "observe": (ASSERTED, SPEECH, 0.75, None, None),
    "comment": (ASSERTED, SPEECH, 0.8, None, None),
    "complain": (ASSERTED, SPEECH, 0.85, None, None),
    "boast": (ASSERTED, SPEECH, 0.85, None, None),
    "brag": (ASSERTED, SPEECH, 0.85, "bragged", None),
    "joke": (ASSERTED, SPEECH, 0.8, None, None),
    "quip": (ASSERTED, SPEECH, 0.85, "quipped", None),
    "testify": (ASSERTED, SPEECH, 0.85, None, None),
    "disclose": (ASSERTED, SPEECH, 0.8, None, None),
    "reveal": (ASSERTED, SPEECH, 0.75, None, None),
    "acknowledge": (CONFIRMED, SPEECH, 0.85, None, None),
    "admit": (CONFIRMED, SPEECH, 0.85, "admitted", None),
    "concede": (CONFIRMED, SPEECH, 0.85, None, None),
    "confirm": (CONFIRMED, SPEECH, 0.85, None, None),
    "agree": (ASSERTED, SPEECH, 0.6, None, None),
    "point": (ASSERTED, SPEECH, 0.0, None, None),  # only in "pointed out"
    "indicate": (ASSERTED, SPEECH, 0.6, None, None),
    "show": (ASSERTED, SPEECH, 0.7, "showed", None),
    "find": (ASSERTED, SPEECH, 0.5, "found", None),
    "estimate": (SPECULATED, SPEECH, 0.6, None, None),
    "ask": (ASSERTED, SPEECH, 0.6, None, None),
    "urge": (ASSERTED, SPEECH, 0.6, None, None),
    "counter": (ASSERTED, SPEECH, 0.85, None, None),
    "retort": (ASSERTED, SPEECH, 0.9, None, None),
    "shout": (ASSERTED, SPEECH, 0.8, None, None),
    "yell": (ASSERTED, SPEECH, 0.8, None, None),
    "claim": (ALLEGED, SPEECH, 0.9, None, None),
    "allege": (ALLEGED, SPEECH, 0.95, None, None),
    "charge": (ALLEGED, SPEECH, 0.5, None, None),
    # beliefs and guesses
    "suggest": (SPECULATED, SPEECH, 0.75, None, None),
    "think": (SPECULATED, SPEECH, 0.6, "thought", None),
    "believe": (SPECULATED, SPEECH, 0.75, None, None),
    "suspect": (SPECULATED, SPEECH, 0.7, None, None),
    "speculate": (SPECULATED, SPEECH, 0.9, None, None),
    "hint": (SPECULATED, SPEECH, 0.7, None, None),
    "fear": (SPECULATED, SPEECH, 0.6, None, None),
    "hope": (SPECULATED, SPEECH, 0.5, None, None),
    "expect": (SPECULATED, SPEECH, 0.5, None, None),
    "guess": (SPECULATED, SPEECH, 0.7, None, None),
    "wonder": (SPECULATED, SPEECH, 0.6, None, None),
    "feel": (SPECULATED, SPEECH, 0.4, "felt", None),
    # accusing
    "accuse": (ALLEGED, ACCUSE, 0.95, None, None),
    "blame": (ALLEGED, ACCUSE, 0.9, None, None),
    "attribute": (ALLEGED, ACCUSE, 0.6, None, None),
    # denying
    "deny": (DENIED, DENY, 0.95, None, None),
    "reject": (DENIED, DENY, 0.8, None, None),
    "dismiss": (DENIED, DENY, 0.6, "dismissed", None),
    "refute": (DENIED, DENY, 0.85, None, None),
    "dispute": (DENIED, DENY, 0.75, None, None),
    "rebut": (DENIED, DENY, 0.85, "rebutted", None),
    "repudiate": (DENIED, DENY, 0.85, None, None),
    "disavow": (DENIED, DENY, 0.8, None, None),
    "contradict": (DENIED, DENY, 0.6, None, None),
    # words that synonym spinners put in place of "said", "noted", "denied"…
    "mention": (ASSERTED, SPEECH, 0.85, None, None),
    "remark": (ASSERTED, SPEECH, 0.85, None, None),
    "convey": (ASSERTED, SPEECH, 0.6, None, None),
    "utter": (ASSERTED, SPEECH, 0.7, None, None),
    "voice": (ASSERTED, SPEECH, 0.5, None, None),
    "articulate": (ASSERTED, SPEECH, 0.7, None, None),
    "express": (ASSERTED, SPEECH, 0.5, None, None),
    "affirm": (CONFIRMED, SPEECH, 0.8, None, None),
    "aver": (ASSERTED, SPEECH, 0.9, "averred", None),
    "opine": (SPECULATED, SPEECH, 0.85, None, None),
    "proclaim": (ASSERTED, SPEECH, 0.85, None, None),
    "pronounce": (ASSERTED, SPEECH, 0.6, None, None),
    "profess": (ASSERTED, SPEECH, 0.7, None, None),
    "communicate": (ASSERTED, SPEECH, 0.6, None, None),
    "notify": (ASSERTED, TOLD, 0.6, None, None),
    "inform": (ASSERTED, TOLD, 0.75, None, None),
    "advise": (ASSERTED, SPEECH, 0.5, None, None),
    "divulge": (ASSERTED, SPEECH, 0.8, None, None),
    "expound": (ASSERTED, SPEECH, 0.7, None, None),
    "verify": (CONFIRMED, SPEECH, 0.7, None, None),
    "corroborate": (CONFIRMED, SPEECH, 0.7, None, None),
    "refuse": (DENIED, DENY, 0.0, None, None),
    # stances announced without a reporting verb proper
    "call": (ASSERTED, SPEECH, 0.5, None, None),
    "cite": (ASSERTED, SPEECH, 0.5, None, None),
    "criticize": (ASSERTED, SPEECH, 0.5, None, None),
    "criticise": (ASSERTED, SPEECH, 0.5, None, None),
    "condemn": (ASSERTED, SPEECH, 0.5, None, None),
    "blast": (ASSERTED, SPEECH, 0.5, None, None),
    "describe": (ASSERTED, SPEECH, 0.4, None, None),
    "question": (SPECULATED, SPEECH, 0.4, None, None),
    "demand": (ASSERTED, SPEECH, 0.5, None, None),
    "want": (ASSERTED, SPEECH, 0.4, None, None),
    "plan": (ASSERTED, SPEECH, 0.4, "planned", None),
    "propose": (ASSERTED, SPEECH, 0.5, None, None),
    "oppose": (ASSERTED, SPEECH, 0.4, None, None),
    "know": (ASSERTED, SPEECH, 0.4, "knew", None),
    "support": (ASSERTED, SPEECH, 0.4, None, None),
    "defend": (ASSERTED, SPEECH, 0.4, None, None),
    "praise": (ASSERTED, SPEECH, 0.4, None, None),
    "slam": (ASSERTED, SPEECH, 0.5, "slammed", None),
    "attack": (ASSERTED, SPEECH, 0.3, None, None),
    "endorse": (ASSERTED, SPEECH, 0.4, None, None),
    "recommend": (ASSERTED, SPEECH, 0.5, None, None),
    "encourage": (ASSERTED, SPEECH, 0.4, None, None),
    "doubt": (SPECULATED, SPEECH, 0.6, None, None),
    "worry": (SPECULATED, SPEECH, 0.6, None, None),
    "disagree": (ASSERTED, SPEECH, 0.5, None, None),
    "recognize": (CONFIRMED, SPEECH, 0.5, None, None),
    "realize": (ASSERTED, SPEECH, 0.4, None, None),
    "assume": (SPECULATED, SPEECH, 0.5, None, None),
    "imply": (SPECULATED, SPEECH, 0.6, None, None),
    "signal": (SPECULATED, SPEECH, 0.5, "signaled", None),
    "threaten": (ASSERTED, SPEECH, 0.5, None, None),
    "label": (ASSERTED, SPEECH, 0.5, "labeled", None),
    "brand": (ASSERTED, SPEECH, 0.5, None, None),
    "dub": (ASSERTED, SPEECH, 0.5, "dubbed", None),
    "characterize": (ASSERTED, SPEECH, 0.6, None, None),
    "liken": (ASSERTED, SPEECH, 0.6, None, None),
    "intend": (ASSERTED, SPEECH, 0.4, None, None),
    "decide": (ASSERTED, SPEECH, 0.3, None, None),
    "refer": (ASSERTED, SPEECH, 0.3, "referred", None),
    "highlight": (ASSERTED, SPEECH, 0.4, None, None),
    "reiterate": (ASSERTED, SPEECH, 0.8, None, None),
    "repeat": (ASSERTED, SPEECH, 0.5, None, None),
    "confess": (CONFIRMED, SPEECH, 0.7, None, None),
    "lament": (ASSERTED, SPEECH, 0.7, None, None),
    "applaud": (ASSERTED, SPEECH, 0.5, None, None),
    "hail": (ASSERTED, SPEECH, 0.4, None, None),
    "denounce": (ASSERTED, SPEECH, 0.6, None, None),
    "decry": (ASSERTED, SPEECH, 0.6, None, None),
    "lambaste": (ASSERTED, SPEECH, 0.6, None, None),
    "scold": (ASSERTED, SPEECH, 0.6, None, None),
    "rebuke": (ASSERTED, SPEECH, 0.6, None, None),
    "mock": (ASSERTED, SPEECH, 0.5, None, None),
    "ridicule": (ASSERTED, SPEECH, 0.5, None, None),
    "fault": (ALLEGED, SPEECH, 0.5, None, None),
    "challenge": (ASSERTED, SPEECH, 0.3, None, None),
    "concur": (ASSERTED, SPEECH, 0.6, "concurred", None),
    "advocate": (ASSERTED, SPEECH, 0.5, None, None),
    "regard": (ASSERTED, SPEECH, 0.3, None, None),
    "deem": (ASSERTED, SPEECH, 0.5, None, None),
    "understand": (ASSERTED, SPEECH, 0.3, "understood", None),
    "remember": (ASSERTED, SPEECH, 0.4, None, None),
    "imagine": (SPECULATED, SPEECH, 0.4, None, None),
    "offer": (ASSERTED, SPEECH, 0.3, None, None),
    "accept": (CONFIRMED, SPEECH, 0.3, None, None),
    "discuss": (ASSERTED, SPEECH, 0.3, None, None),
    "raise": (ASSERTED, SPEECH, 0.3, None, None),  # "refused to" is not a denial of a claim
}

# Words that, in front of a cue, make the report a guess.
HEDGES = frozenset({"might", "may", "could", "would", "perhaps", "possibly", "probably"})

CUES: dict[str, Cue] = {}
# Base forms ("say", "report", "state") are cues only after a plural or personal subject
# ("officials say", "we believe"): many are nouns too ("the state", "a report").
BASE_FORMS: set[str] = set()
for _lemma, (_certainty, _behaviour, _weight, _past, _third) in _VERBS.items():
    if _weight <= 0:
        continue
    for _form in _forms(_lemma, _past, _third):
        CUES.setdefault(_form, Cue(_lemma, _certainty, _behaviour, _weight))
    BASE_FORMS.add(_lemma)
# Forms read far more often as plural nouns than as verbs ("the states", "his claims").
for _form in ("states", "claims", "tweets"):
    del CUES[_form]


# Present participles that continue a sentence's subject's speech: "…, saying that …".
def _ing(lemma: str, past: str | None) -> str:
    """The present participle: "saying", "arguing", "admitting"."""
    if past and past.endswith("ed") and len(past) > 4 and past[-3] == past[-4] != lemma[-2:-1]:
        return past[:-2] + "ing"  # admitted, planned: the consonant doubles
    if lemma.endswith("e") and not lemma.endswith("ee"):
        return lemma[:-1] + "ing"
    return lemma + "ing"


# "Fowler is calling for …", "Democrats are warning that …": the progressive forms.
PROGRESSIVE: dict[str, Cue] = {
    _ing(_lemma, _past): Cue(_lemma, _certainty, _behaviour, _weight * 0.9)
    for _lemma, (_certainty, _behaviour, _weight, _past, _third) in _VERBS.items()
    if _weight > 0
}
GERUNDS: dict[str, Cue] = {}
for _lemma in wordset(
    """say add argue claim note insist warn cite call explain ask suggest accuse blame deny
    promise pledge vow write tell stress predict complain allege declare reject dismiss
    acknowledge admit contend assert describe"""
):
    GERUNDS[_ing(_lemma, _VERBS[_lemma][3])] = PROGRESSIVE[_ing(_lemma, _VERBS[_lemma][3])]

# Phrases of several words: the words after the first, lower case.
PHRASES: dict[str, list[tuple[tuple[str, ...], Cue]]] = {
    "pointed": [(("out",), Cue("point out", ASSERTED, SPEECH, 0.85))],
    "points": [(("out",), Cue("point out", ASSERTED, SPEECH, 0.85))],
    "made": [(("clear",), Cue("make clear", ASSERTED, SPEECH, 0.8))],
    "makes": [(("clear",), Cue("make clear", ASSERTED, SPEECH, 0.8))],
    "talked": [(("about",), Cue("talk about", ASSERTED, SPEECH, 0.5))],
    "went": [(("on", "to", "say"), Cue("go on to say", ASSERTED, SPEECH, 0.9))],
}

# Third-person forms that are also plural nouns ("media reports said", "his claims").
NOUNISH = wordset(
    """reports claims charges states notes comments shows finds fears hopes answers points
    voices remarks stresses counters guesses tweets promises pledges vows statements
    estimates questions attacks supports"""
)

# "according to X", "as reported by X", "in the words of X": the source follows the cue.
ACCORDING = Cue("according to", ASSERTED, SPEECH, 0.95)
# The phrase and what synonym spinners put in its place, by first word.
ACCORDING_PHRASES: dict[str, list[tuple[str, ...]]] = {
    "according": [("according", "to")],
    "in": [("in", "accordance", "with"), ("in", "the", "words", "of")],
    "as": [("as", "per")],
}
# "Poll: …" (a headline or a transcript names its speaker before a colon) and
# "“…” ― Pamela Padilla" (a dash after a quotation names who said it).
COLON = Cue(":", ASSERTED, SPEECH, 0.8)
DASH = Cue("\u2015", ASSERTED, SPEECH, 0.85)

# Verbs whose subject is evidence rather than a person: "the poll shows", "the study
# found", "the data suggest".
EVIDENCE = wordset("show find indicate suggest reveal estimate conclude confirm predict")

# Nouns that ask for denial or accusation rather than a refused bill or a dismissed case:
# "rejected the charges", "dismissed the allegations", "disputed the report".
CLAIM_NOUNS = wordset(
    """charge charges claim claims allegation allegations accusation accusations report
    reports suggestion suggestions notion idea assertion assertions rumor rumors rumour
    rumours story stories account accounts characterization speculation that any
    involvement"""
)

# Adjectives that make a passage an allegation by whoever the sentence is about:
# "sanctions for its alleged role".
ALLEGING = frozenset({"alleged", "purported", "supposed", "suspected", "reported"})

# After an accusing cue, the words that end the accused and start the content.
ACCUSE_LINKS = frozenset({"of", "for", "over", "in", "that", "with"})

# "X was behind Y", "X is responsible for Y": X is accused.
BEHIND = (
    ("was", "behind"),
    ("were", "behind"),
    ("is", "behind"),
    ("are", "behind"),
    ("was", "responsible"),
    ("were", "responsible"),
    ("is", "responsible"),
    ("are", "responsible"),
)
