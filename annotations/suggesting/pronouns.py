"""Pronouns that name a speaker, and which kinds of actor each can stand for.

"He said" is Rama, not Iran; "it denied" is a state or an organisation, not a person.
An actor of unknown kind is taken as compatible with any pronoun.
"""

from __future__ import annotations

PERSON, ORGANISATION, STATE, GROUP, OTHER = "person", "organisation", "state", "group", "other"

COMPATIBLE: dict[str, frozenset[str]] = {
    "he": frozenset({PERSON}),
    "she": frozenset({PERSON}),
    "it": frozenset({ORGANISATION, STATE, GROUP, OTHER}),
    "they": frozenset({ORGANISATION, STATE, GROUP, OTHER, PERSON}),
    "we": frozenset({ORGANISATION, STATE, GROUP, OTHER, PERSON}),
    "i": frozenset({PERSON}),
}

# Pronouns that can be the subject of a reporting verb.
SUBJECTS = frozenset(COMPATIBLE)


def is_pronoun(word: str) -> bool:
    return word.lower() in SUBJECTS


def compatible(pronoun: str, kind: str | None) -> bool:
    """Whether an actor of `kind` (None: unknown) can be what `pronoun` stands for."""
    kinds = COMPATIBLE.get(pronoun.lower())
    if kinds is None:
        return False
    return kind is None or kind in kinds
